using Berth.Spec;

namespace Berth.Store;

/// <summary>
/// An immutable, numbered release of a whole stack (<c>berth release create</c>): the environments it goes through and,
/// for each, the stack as that environment runs it (overrides applied, images pinned, artifacts by digest). Every service
/// moves together: it is promoted, held and rolled back as one.
/// </summary>
public sealed record StackReleaseRecord
{
    public required string Stack { get; init; }
    public required int Number { get; init; }

    /// <summary>A label the user gave (<c>--version 1.4.0</c>), or null.</summary>
    public string? Version { get; init; }
    public string? Message { get; init; }

    /// <summary>Who created it (the token's name).</summary>
    public string? CreatedBy { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required StackReleaseDocument Document { get; init; }
}

/// <summary>What a stack release holds: the pipeline in order and the stack of each environment.</summary>
public sealed record StackReleaseDocument
{
    public required IReadOnlyList<EnvironmentSpec> Environments { get; init; }

    /// <summary>By environment name: the spec deployed there (overrides applied, <c>BERTH_ENVIRONMENT</c> interpolated).</summary>
    public required IReadOnlyDictionary<string, ComposeSpec> Specs { get; init; }
}
