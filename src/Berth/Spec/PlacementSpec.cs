namespace Berth.Spec;

/// <summary><c>deploy.placement</c>.</summary>
public sealed record PlacementSpec
{
    public IReadOnlyList<string> Constraints { get; init; } = [];

    /// <summary>Spread preferences, e.g. "node.labels.zone".</summary>
    public IReadOnlyList<string> Preferences { get; init; } = [];
    public int? MaxReplicasPerNode { get; init; }
}
