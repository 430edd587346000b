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

    /// <summary>rolling, blue-green or canary.</summary>
    public string Strategy { get; init => field = value ?? "rolling"; } = "rolling";

    /// <summary>Blue/green and canary: where the rollout stands (null for rolling updates).</summary>
    public RolloutProgressInfo? Progress { get; init; }

    /// <summary>True while the rollout still has work or waits for a human (paused).</summary>
    public bool Active => Store.RolloutStates.IsActive(State);
}

/// <summary>A blue/green or canary rollout's position and both releases' live KPIs.</summary>
public sealed record RolloutProgressInfo
{
    /// <summary>Current step (1-based for display; 0 before the first), and how many there are (canary).</summary>
    public required int Step { get; init; }
    public required int Steps { get; init; }

    /// <summary>What the current step is, e.g. "weight 20", "pause 30s", "pause (until promote)", "analysis".</summary>
    public string? StepDescription { get; init; }

    /// <summary>starting, stepping, pre_promotion, awaiting_promotion, scaling_up, promoted, done.</summary>
    public required string Phase { get; init; }
    public required int Weight { get; init; }
    public required int CandidateReplicas { get; init; }
    public int CandidateReady { get; init; }

    /// <summary>Analysis of the current step and the background analysis: measurements, failed, inconclusive.</summary>
    public AnalysisTallyInfo? StepAnalysis { get; init; }
    public AnalysisTallyInfo? BackgroundAnalysis { get; init; }

    /// <summary>When blue/the old stable is scaled down (after the switch), if pending.</summary>
    public DateTimeOffset? ScaleDownAt { get; init; }

    /// <summary>Live KPIs over the last analysis interval (or 10 s): the stable release (FromRelease) and the new one (ToRelease).</summary>
    public KpiInfo? Stable { get; init; }
    public KpiInfo? Candidate { get; init; }
}

public sealed record AnalysisTallyInfo(int Measurements, int Failed, int Inconclusive);
