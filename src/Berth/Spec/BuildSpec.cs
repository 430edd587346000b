namespace Berth.Spec;

/// <summary>The <c>build</c> section of a service (string form = context only).</summary>
public sealed record BuildSpec
{
    /// <summary>Build context, an absolute path (resolved against the compose file's folder).</summary>
    public required string Context { get; init; }
    public string? Dockerfile { get; init; }
    public IReadOnlyDictionary<string, string?> Args { get; init; } = new Dictionary<string, string?>();
    public string? Target { get; init; }
}
