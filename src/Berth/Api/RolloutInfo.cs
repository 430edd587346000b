namespace Berth.Api;

/// <summary>A service's latest rollout, as `berth rollout status` shows it (the documented --json shape).</summary>
public sealed record RolloutInfo
{
    public required long Id { get; init; }
    public required string Service { get; init; }

    /// <summary>update (from a deploy) or rollback.</summary>
    public required string Kind { get; init; }
    public int? FromRelease { get; init; }
    public required int ToRelease { get; init; }

    /// <summary>updating, paused, rolling_back, completed, rolled_back or superseded.</summary>
    public required string State { get; init; }
    public string? Reason { get; init; }

    /// <summary>Desired replicas, and how many run the target release and are ready.</summary>
    public required int Total { get; init; }
    public required int Updated { get; init; }
    public required int Failed { get; init; }
    public required int Parallelism { get; init; }
    public required string Order { get; init; }
    public required string FailureAction { get; init; }
    public required double MonitorSeconds { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>True while the rollout still has work or waits for a human (paused).</summary>
    public bool Active => State is "updating" or "rolling_back" or "paused";
}
