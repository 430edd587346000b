using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Berth.Spec;

namespace Berth.Releases;

/// <summary>
/// Identifies what a replica would run: <c>v2:</c> and the SHA-256 (hex) of the canonical form of the service spec
/// without what does not change replicas, and of its secrets. The canonical form is this folder's own (never the
/// API's or the store's JSON); changing it is a new version with a store migration that re-fingerprints every release.
/// </summary>
public static class ReleaseFingerprint
{
    /// <summary>The version of the canonical form, written before the hash: releases fingerprinted otherwise never match.</summary>
    public const int Version = 2;

    /// <summary>Two specs with the same fingerprint run identical replicas, so no new release is needed.</summary>
    public static string Of(ServiceSpec spec) => Of(spec, []);

    /// <summary>
    /// As <see cref="Of(ServiceSpec)"/>, also covering the secrets' contents (by hash) and external names: a changed
    /// secret makes a new release, as Swarm secrets are immutable and versioned.
    /// </summary>
    public static string Of(ServiceSpec spec, IReadOnlyList<ReleaseSecret> secrets) =>
        $"v{Version}:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(CanonicalForm(spec, secrets))))}";

    /// <summary>
    /// The text the fingerprint hashes: canonical JSON (<see cref="CanonicalJson"/>) of the spec replicas run, with
    /// every value that is its record's default left out, and of the secrets by name.
    /// </summary>
    public static string CanonicalForm(ServiceSpec spec, IReadOnlyList<ReleaseSecret> secrets)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(secrets);
        var document = new FingerprintDocument
        {
            Spec = WhatReplicasRun(spec),
            Secrets = secrets
                .OrderBy(s => s.Source, StringComparer.Ordinal)
                .Select(s => new FingerprintSecret { Source = s.Source, Sha256 = s.ContentHash, External = s.ContentHash is null ? s.ExternalName : null })
                .ToList(),
        };
        return CanonicalJson.Write(JsonSerializer.SerializeToElement(document, FingerprintJson.Options));
    }

    /// <summary>
    /// The spec without what does not change a replica: the replica count, the strategy (how a release replaces
    /// another; a new release rolls out with its own strategy, so changing only the strategy takes effect next deploy,
    /// as in Argo Rollouts), and <c>x-berth.artifact</c> (how <c>berth build</c> makes the files: what it made is pinned
    /// by the image's digest). What a release is made of. All are set to their defaults, so the canonical form leaves them out.
    /// </summary>
    public static ServiceSpec WhatReplicasRun(ServiceSpec spec) =>
        spec with
        {
            Deploy = spec.Deploy with { Replicas = new DeploySpec().Replicas },
            Berth = spec.Berth with { Strategy = new StrategySpec(), Artifact = null },
        };
}
