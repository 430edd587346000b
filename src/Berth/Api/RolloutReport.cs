namespace Berth.Api;

/// <summary>`berth rollout report`: a finished (or running) blue/green or canary rollout, explained.</summary>
public sealed record RolloutReport
{
    public required RolloutInfo Rollout { get; init; }

    /// <summary>The strategy settings the rollout followed, as written (steps, analysis, thresholds), for the report's header.</summary>
    public required IReadOnlyList<string> Settings { get; init; }

    /// <summary>Every step and decision in order, each with the numbers that decided it.</summary>
    public required IReadOnlyList<RolloutDecisionInfo> Timeline { get; init; }

    /// <summary>KPI samples of both releases over time (for charts).</summary>
    public required IReadOnlyList<RolloutSampleInfo> Samples { get; init; }

    /// <summary>The ceilings the strategy's analyses hold the new release to (drawn on the charts).</summary>
    public IReadOnlyList<ThresholdInfo> Thresholds { get; init => field = value ?? []; } = [];
}

/// <summary>
/// One analysis ceiling: <see cref="Metric"/> is error_rate (a fraction), latency_p95 or latency_p99 (ms); at most
/// <see cref="Max"/>, and/or at most <see cref="MaxRatio"/> times the stable release's value.
/// </summary>
public sealed record ThresholdInfo(string Metric, double? Max, double? MaxRatio);

public sealed record RolloutDecisionInfo
{
    public required DateTimeOffset At { get; init; }

    /// <summary>1-based canary step, or null.</summary>
    public int? Step { get; init; }
    public required string Kind { get; init; }
    public required string Message { get; init; }
    public IReadOnlyDictionary<string, string> Data { get; init => field = value ?? new Dictionary<string, string>(); } = new Dictionary<string, string>();
}

public sealed record RolloutSampleInfo
{
    public required DateTimeOffset At { get; init; }
    public required int Release { get; init; }

    /// <summary>stable or candidate.</summary>
    public required string Role { get; init; }
    public required int Weight { get; init; }

    /// <summary>The window the KPIs cover (an analysis measurement's samples cover its interval).</summary>
    public double WindowSeconds { get; init; }
    public required long Requests { get; init; }
    public required double RequestsPerSecond { get; init; }
    public required double ErrorRate { get; init; }
    public required double P50Ms { get; init; }
    public required double P95Ms { get; init; }
    public required double P99Ms { get; init; }
}
