namespace Berth.Spec;

/// <summary>A top-level secret definition: from a file, from an environment variable, or external.</summary>
public sealed record SecretSpec
{
    public required string Name { get; init; }

    /// <summary>Absolute path of the secret's file, when <c>file:</c> is used.</summary>
    public string? File { get; init; }

    /// <summary>Name of the environment variable holding the secret, when <c>environment:</c> is used.</summary>
    public string? Environment { get; init; }
    public bool External { get; init; }
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
}
