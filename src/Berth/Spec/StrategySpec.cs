namespace Berth.Spec;

/// <summary>
/// <c>x-berth.strategy</c> and its sections: how a new release of the service replaces the running one.
/// rolling = Swarm's update_config (default); blue-green = a full second copy, switched at once;
/// canary = a small share of users first, then more, watched by analysis.
/// </summary>
public sealed record StrategySpec
{
    public const string RollingKind = "rolling";
    public const string BlueGreenKind = "blue-green";
    public const string CanaryKind = "canary";

    /// <summary>rolling (default), blue-green or canary.</summary>
    public string Kind { get; init; } = RollingKind;

    /// <summary><c>x-berth.canary</c>; set (with defaults) when Kind is canary.</summary>
    public CanarySpec? Canary { get; init; }

    /// <summary><c>x-berth.blue_green</c>; set (with defaults) when Kind is blue-green.</summary>
    public BlueGreenSpec? BlueGreen { get; init; }
}

/// <summary><c>x-berth.canary</c>.</summary>
public sealed record CanarySpec
{
    /// <summary>Run in order; after the last step the canary is promoted (scaled to full size, then made stable).</summary>
    public IReadOnlyList<CanaryStepSpec> Steps { get; init; } = [];

    /// <summary>Background analysis: runs from the first step with weight &gt; 0 until promotion (null = none).</summary>
    public AnalysisSpec? Analysis { get; init; }

    /// <summary>A rollout that makes no progress for this long (replicas not ready, no step done) is aborted. Default 10m.</summary>
    public TimeSpan ProgressDeadline { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How long the old stable replicas stay up after promotion (default 0: stopped, drained, at once).</summary>
    public TimeSpan ScaleDownDelay { get; init; } = TimeSpan.Zero;

    /// <summary>Preview front door (its own published port) that always reaches the canary; null = none.</summary>
    public int? PreviewPort { get; init; }
}

/// <summary>One canary step: exactly one of its kinds is set.</summary>
public sealed record CanaryStepSpec
{
    public const string WeightKind = "weight";
    public const string PauseKind = "pause";
    public const string AnalysisKind = "analysis";
    public const string ReplicasKind = "replicas";
    public const string MatchKind = "match";

    /// <summary>weight, pause, analysis, replicas or match.</summary>
    public required string Kind { get; init; }

    /// <summary>weight: share of users (0–100) sent to the canary; never lower than an earlier weight step.</summary>
    public int? Weight { get; init; }

    /// <summary>pause: how long; null with Kind pause = until `berth promote`.</summary>
    public TimeSpan? Pause { get; init; }

    /// <summary>analysis: run inline; the step ends when it has passed (count measurements) or fails the rollout.</summary>
    public AnalysisSpec? Analysis { get; init; }

    /// <summary>replicas: fixes the number of canary replicas from here on (else sized to the weight).</summary>
    public int? Replicas { get; init; }

    /// <summary>match: from here on only requests matching the rule reach the canary (A/B); the weight still applies to them.</summary>
    public MatchSpec? Match { get; init; }

    /// <summary>Where the step was written (file:line), for reports and errors.</summary>
    public string? Source { get; init; }
}

/// <summary>A header or cookie rule for A/B steps: exactly one of Header / Cookie, and the value to match.</summary>
public sealed record MatchSpec
{
    public string? Header { get; init; }
    public string? Cookie { get; init; }
    public required string Value { get; init; }
}

/// <summary><c>x-berth.blue_green</c>.</summary>
public sealed record BlueGreenSpec
{
    /// <summary>Preview front door (its own published port) that reaches green before the switch; null = none (the override header still works).</summary>
    public int? PreviewPort { get; init; }

    /// <summary>Switch as soon as green is ready and the pre-promotion gate passed; false (default) waits for `berth promote`.</summary>
    public bool AutoPromote { get; init; }

    /// <summary>How long blue stays up after the switch, for an instant rollback (default 30s, as Argo Rollouts).</summary>
    public TimeSpan ScaleDownDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Checked on green before the switch; failure aborts (green removed, blue untouched).</summary>
    public PromotionGateSpec? PrePromotion { get; init; }

    /// <summary>Checked on green after the switch, while blue is still up; failure flips back to blue.</summary>
    public PromotionGateSpec? PostPromotion { get; init; }

    /// <summary>A rollout that makes no progress for this long is aborted. Default 10m.</summary>
    public TimeSpan ProgressDeadline { get; init; } = TimeSpan.FromMinutes(10);
}

/// <summary>A gate before or after the blue/green switch: a smoke command and/or analysis; both must pass.</summary>
public sealed record PromotionGateSpec
{
    /// <summary>Run with /bin/sh -c in the compose file's folder, BERTH_PREVIEW_URL and BERTH_SERVICE set; exit code 0 passes.</summary>
    public string? Smoke { get; init; }

    /// <summary>Timeout of the smoke command (default 60s).</summary>
    public TimeSpan SmokeTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public AnalysisSpec? Analysis { get; init; }
}

/// <summary>
/// Analysis: every Interval, each metric is measured on the new release (and on the stable one over the same
/// window, for relative thresholds). A measurement passes, fails, or is inconclusive (fewer than MinRequests requests).
/// More than FailureLimit failed measurements fails the rollout; more than InconclusiveLimit inconclusive ones pauses
/// it for a human (as Argo Rollouts).
/// </summary>
public sealed record AnalysisSpec
{
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Measurements to take; null = until the next step (inline) or until promotion (background).</summary>
    public int? Count { get; init; }

    /// <summary>Requests the new release must have served in an interval for the measurement to count (default 20).</summary>
    public int MinRequests { get; init; } = 20;

    /// <summary>Failed measurements tolerated (default 0: the first failure fails the rollout).</summary>
    public int FailureLimit { get; init; }

    /// <summary>Inconclusive measurements tolerated before the rollout pauses (default 0).</summary>
    public int InconclusiveLimit { get; init; }

    /// <summary>Default when none are written: error_rate max 5 %.</summary>
    public IReadOnlyList<MetricSpec> Metrics { get; init; } = [];
}

/// <summary>One KPI threshold. At least one of Max / MaxRatio.</summary>
public sealed record MetricSpec
{
    public const string ErrorRate = "error_rate";
    public const string LatencyP95 = "latency_p95";
    public const string LatencyP99 = "latency_p99";

    public static readonly IReadOnlyList<string> Names = [ErrorRate, LatencyP95, LatencyP99];

    /// <summary>error_rate (5xx + connection errors / requests, 0–1), latency_p95 or latency_p99 (milliseconds).</summary>
    public required string Name { get; init; }

    /// <summary>Absolute ceiling: a fraction for error_rate (0.05 or "5%"), milliseconds for latencies ("300ms" or 300).</summary>
    public double? Max { get; init; }

    /// <summary>Relative ceiling: at most this many times the stable release's value over the same window (e.g. 1.5).</summary>
    public double? MaxRatio { get; init; }
}
