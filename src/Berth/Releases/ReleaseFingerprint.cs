using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Berth.Api;
using Berth.Spec;

namespace Berth.Releases;

/// <summary>Identifies what a replica would run: a hash of the service spec without what does not change replicas (the replica count).</summary>
public static class ReleaseFingerprint
{
    /// <summary>Two specs with the same fingerprint run identical replicas, so no new release is needed.</summary>
    public static string Of(ServiceSpec spec) => Of(spec, []);

    /// <summary>
    /// As <see cref="Of(ServiceSpec)"/>, also covering the secrets' contents (by hash) and external names: a changed
    /// secret makes a new release, as Swarm secrets are immutable and versioned. Without secrets, the same value as
    /// <see cref="Of(ServiceSpec)"/> (releases written before secrets were carried keep their fingerprint).
    /// </summary>
    public static string Of(ServiceSpec spec, IReadOnlyList<ReleaseSecret> secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        var text = new StringBuilder(JsonSerializer.Serialize(WhatReplicasRun(spec), ApiJson.Options));
        foreach (var secret in secrets.OrderBy(s => s.Source, StringComparer.Ordinal))
        {
            text.Append('\n').Append("secret ").Append(secret.Source).Append('=')
                .Append(secret.ContentHash is { } hash ? "sha256:" + hash : "external:" + secret.ExternalName);
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>
    /// The spec without what does not change a replica: the replica count, and the strategy (how a release replaces
    /// another; a new release rolls out with its own strategy, so changing only the strategy takes effect next deploy,
    /// as in Argo Rollouts). What a release is made of.
    /// </summary>
    public static ServiceSpec WhatReplicasRun(ServiceSpec spec) =>
        spec with { Deploy = spec.Deploy with { Replicas = 0 }, Berth = spec.Berth with { Strategy = new StrategySpec() } };
}
