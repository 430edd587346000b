using System.Text.Json;

namespace Berth.Spec;

/// <summary>A whole compose file (after merging, interpolation and validation): what the user asked for.</summary>
public sealed record ComposeSpec
{
    /// <summary>The top-level <c>name</c>, if any.</summary>
    public string? Name { get; init; }

    /// <summary>Services by name, in file order.</summary>
    public required IReadOnlyDictionary<string, ServiceSpec> Services { get; init; }

    /// <summary>Top-level <c>secrets</c> definitions by name.</summary>
    public IReadOnlyDictionary<string, SecretSpec> Secrets { get; init; } = new Dictionary<string, SecretSpec>();

    /// <summary>Top-level <c>x-*</c> extension fields, kept as JSON.</summary>
    public IReadOnlyDictionary<string, JsonElement> Extensions { get; init; } = new Dictionary<string, JsonElement>();

    /// <summary>The delivery pipeline's environments in order (top-level <c>x-berth.environments</c>); empty when none.</summary>
    public IReadOnlyList<EnvironmentSpec> Environments { get; init; } = [];

    /// <summary>The files this spec was loaded from (absolute paths), in merge order.</summary>
    public IReadOnlyList<string> SourceFiles { get; init; } = [];
}
