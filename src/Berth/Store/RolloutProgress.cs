using Berth.Spec;

namespace Berth.Store;

/// <summary>
/// Where a blue/green or canary rollout stands (persisted with the rollout, so a restarted server resumes at the
/// same step, weight and analysis count). Rolling updates leave it null.
/// </summary>
public sealed record RolloutProgress
{
    /// <summary>Index into the canary's steps (blue/green: see <see cref="Phase"/>); equal to the step count once all ran.</summary>
    public int Step { get; init; }

    /// <summary>Share of users (0–100) the router sends to the new release now.</summary>
    public int Weight { get; init; }

    /// <summary>
    /// Canary weight step: its weight was decided and sent; the step ends in a later pass, once every router serves it
    /// (so a pause or analysis after it counts from the routers' acknowledgement).
    /// </summary>
    public bool WeightDecided { get; init; }

    /// <summary>Replicas of the new release wanted now (canary: sized to the weight unless a replicas step fixed it).</summary>
    public int CandidateReplicas { get; init; }

    /// <summary>Set by a canary replicas step: the canary keeps this many replicas whatever the weight.</summary>
    public int? FixedReplicas { get; init; }

    /// <summary>Set by a canary match step: only matching requests may reach the new release.</summary>
    public MatchSpec? Match { get; init; }

    /// <summary>See <see cref="RolloutPhases"/>.</summary>
    public string Phase { get; init; } = RolloutPhases.Starting;

    /// <summary>When the current step (or phase) began: pauses and deadlines count from here.</summary>
    public DateTimeOffset StepStartedAt { get; init; }

    /// <summary>Last time the rollout moved forward (a step or phase done); the progress deadline counts from here.</summary>
    public DateTimeOffset ProgressedAt { get; init; }

    /// <summary>Analysis in the current step / gate: measurements taken and their outcomes.</summary>
    public AnalysisTally StepAnalysis { get; init; } = new();

    /// <summary>Background (canary-level) analysis, counted across steps.</summary>
    public AnalysisTally BackgroundAnalysis { get; init; } = new();

    /// <summary>When the switch (blue/green) or promotion (canary) happened; the old release stays up until ScaleDownAt.</summary>
    public DateTimeOffset? PromotedAt { get; init; }
    public DateTimeOffset? ScaleDownAt { get; init; }

    /// <summary>`berth promote --full`: skip every remaining step and analysis.</summary>
    public bool PromoteFull { get; init; }

    /// <summary>Blue/green: the pre-promotion smoke command passed (it is not run again after a restart).</summary>
    public bool SmokePassed { get; init; }

    /// <summary>Last KPI sample written for the report's charts.</summary>
    public DateTimeOffset? LastSampleAt { get; init; }

    /// <summary>`berth promote` while a pause or gate waits: the engine takes it as the go-ahead for the current step.</summary>
    public bool PromoteRequested { get; init; }
}

/// <summary>Counts of one analysis run.</summary>
public sealed record AnalysisTally
{
    public int Measurements { get; init; }
    public int Failed { get; init; }
    public int Inconclusive { get; init; }
    public DateTimeOffset? LastAt { get; init; }

    /// <summary>Ended by `berth promote` before it finished (its counts stay as they were).</summary>
    public bool Skipped { get; init; }
}

/// <summary>Phases of a blue/green or canary rollout.</summary>
public static class RolloutPhases
{
    /// <summary>New release's replicas starting (blue/green: green at full scale; canary: first replicas).</summary>
    public const string Starting = "starting";

    /// <summary>Canary: running its steps.</summary>
    public const string Stepping = "stepping";

    /// <summary>Blue/green: green ready, pre-promotion gate running.</summary>
    public const string PrePromotion = "pre_promotion";

    /// <summary>Waiting for `berth promote` (a `pause: {}` step, blue/green without auto_promote, or inconclusive analysis).</summary>
    public const string AwaitingPromotion = "awaiting_promotion";

    /// <summary>Canary: all steps done; the new release is scaled to full size before it becomes stable.</summary>
    public const string ScalingUp = "scaling_up";

    /// <summary>Switched: the new release is stable; the old one is kept until scale_down_delay (post-promotion analysis runs).</summary>
    public const string Promoted = "promoted";

    public const string Done = "done";
}
