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
    public static string Of(ServiceSpec spec)
    {
        var json = JsonSerializer.Serialize(WhatReplicasRun(spec), ApiJson.Options);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)));
    }

    /// <summary>
    /// The spec without what does not change a replica: the replica count, and the strategy (how a release replaces
    /// another; a new release rolls out with its own strategy, so changing only the strategy takes effect next deploy,
    /// as in Argo Rollouts). What a release is made of.
    /// </summary>
    public static ServiceSpec WhatReplicasRun(ServiceSpec spec) =>
        spec with { Deploy = spec.Deploy with { Replicas = 0 }, Berth = spec.Berth with { Strategy = new StrategySpec() } };
}
