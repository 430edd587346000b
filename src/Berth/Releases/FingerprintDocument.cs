using Berth.Spec;

namespace Berth.Releases;

/// <summary>What a fingerprint hashes, in canonical JSON: the spec replicas run and the secrets they are granted.</summary>
internal sealed record FingerprintDocument
{
    public ServiceSpec? Spec { get; init; }

    /// <summary>By name (ordinal order); left out when there are none.</summary>
    public IReadOnlyList<FingerprintSecret> Secrets { get; init; } = [];
}

/// <summary>A granted secret in a fingerprint: its name and either the SHA-256 of its content or its external name.</summary>
internal sealed record FingerprintSecret
{
    public required string Source { get; init; }
    public string? Sha256 { get; init; }
    public string? External { get; init; }
}
