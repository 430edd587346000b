namespace Berth.Api;

/// <summary>One release of a service, as `berth releases SERVICE` lists it.</summary>
public sealed record ReleaseInfo
{
    public required int Number { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>What changed from the release before ("environment.ARTICLES_VERSION: 1 → 2").</summary>
    public required string Summary { get; init; }

    /// <summary>Image or process command.</summary>
    public required string Artifact { get; init; }

    /// <summary>current (replicas should run it), previous, failed (a rollout to it was rolled back or paused), or old.</summary>
    public required string State { get; init; }
}
