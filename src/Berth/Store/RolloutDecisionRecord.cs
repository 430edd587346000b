namespace Berth.Store;

/// <summary>
/// One entry of a rollout's timeline: a step started or finished, an analysis measurement, a promotion, an abort —
/// with the numbers that decided it (metric, threshold, measured value, requests), for `berth rollout report`.
/// </summary>
public sealed record RolloutDecisionRecord
{
    public long Id { get; init; }
    public required long RolloutId { get; init; }
    public required DateTimeOffset At { get; init; }

    /// <summary>Canary step index (0-based), or null for rollout-level entries.</summary>
    public int? Step { get; init; }

    /// <summary>See <see cref="RolloutDecisionKinds"/>: weight, step.done, analysis.passed|failed|inconclusive, gate.smoke, promoted, aborted, paused, resumed, ….</summary>
    public required string Kind { get; init; }
    public required string Message { get; init; }

    /// <summary>The numbers behind the decision (e.g. metric, max, measured, stable, requests, weight).</summary>
    public IReadOnlyDictionary<string, string> Data { get; init; } = new Dictionary<string, string>();
}

/// <summary>One KPI sample of a release during a rollout (every second, and the numbers each analysis measurement judged), for the report's charts.</summary>
public sealed record RolloutSampleRecord
{
    public required long RolloutId { get; init; }
    public required DateTimeOffset At { get; init; }
    public required int Release { get; init; }

    /// <summary>stable or candidate.</summary>
    public required string Role { get; init; }
    public required int Weight { get; init; }
    public required double WindowSeconds { get; init; }
    public required long Requests { get; init; }
    public required double ErrorRate { get; init; }
    public required double P50Ms { get; init; }
    public required double P95Ms { get; init; }
    public required double P99Ms { get; init; }
}
