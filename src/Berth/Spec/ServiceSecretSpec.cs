namespace Berth.Spec;

/// <summary>A secret granted to a service (short form "name" or long form).</summary>
public sealed record ServiceSecretSpec
{
    public required string Source { get; init; }

    /// <summary>File name under /run/secrets (defaults to the source name).</summary>
    public string? Target { get; init; }
    public string? Uid { get; init; }
    public string? Gid { get; init; }
    public int? Mode { get; init; }
}
