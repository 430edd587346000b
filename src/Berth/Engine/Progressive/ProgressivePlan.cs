using Berth.Store;

namespace Berth.Engine.Progressive;

/// <summary>
/// What a blue/green or canary rollout does now, decided from its input alone: the rollout's new state, what happens
/// to the pools, the route that follows, and the timeline entries that explain it. The reconciler saves the writes in
/// one transaction, then applies the route, then starts and stops replicas.
/// </summary>
public sealed record ProgressivePlan
{
    /// <summary>The rollout with its new state, reason and progress (UpdatedAt is the pass's time when any changed).</summary>
    public required RolloutRecord Rollout { get; init; }

    /// <summary>False when the plan leaves the rollout record as it was read.</summary>
    public bool RolloutChanged { get; init; }

    /// <summary>Switch (the new release becomes the service's) or flip back (the old one again).</summary>
    public StableChange Stable { get; init; }

    /// <summary>Slots 1..N of the new release wanted now (started if missing, those above stopped); null leaves them be.</summary>
    public int? CandidateReplicas { get; init; }

    /// <summary>Aborted before the switch: the new release's replicas stop once weight 0 has reached the router.</summary>
    public bool StopCandidates { get; init; }

    /// <summary>After the switch, scale_down_delay over: the old release's replicas stop.</summary>
    public bool ScaleDownStable { get; init; }

    /// <summary>The traffic split the saved result implies: what the router must serve after this pass.</summary>
    public required RouteSplit Route { get; init; }

    /// <summary>Timeline entries, each with the numbers that decided it, saved with the state they describe.</summary>
    public IReadOnlyList<RolloutDecisionRecord> Decisions { get; init; } = [];

    public IReadOnlyList<PlannedEvent> Events { get; init; } = [];

    /// <summary>KPI samples of both releases for the report's charts (a measurement's samples are the numbers it judged).</summary>
    public IReadOnlyList<RolloutSampleRecord> Samples { get; init; } = [];

    /// <summary>The pre-promotion smoke command to start (after the route), if it is due and not running.</summary>
    public SmokeRequest? StartSmoke { get; init; }

    /// <summary>The smoke command's result is recorded by this plan: drop it once saved.</summary>
    public bool ForgetSmoke { get; init; }

    public ProgressiveOutcome Outcome { get; init; }

    /// <summary>When to look again if nothing else happens (null: only a command or a replica change moves it on).</summary>
    public DateTimeOffset? WakeAt { get; init; }

    /// <summary>Whether the plan writes anything to the store.</summary>
    public bool HasWrites => RolloutChanged || Stable != StableChange.None || Decisions.Count > 0 || Samples.Count > 0 || Events.Count > 0;
}

/// <summary>What a plan does to the service's release.</summary>
public enum StableChange
{
    None,

    /// <summary>The new release becomes the service's release (100 % of the traffic).</summary>
    Switch,

    /// <summary>After a switch: the old release becomes the service's release again.</summary>
    FlipBack,
}

/// <summary>Where the rollout stands after the plan.</summary>
public enum ProgressiveOutcome
{
    /// <summary>Still moving: waiting for replicas, a pause, a measurement or the next step.</summary>
    Waiting,

    /// <summary>Paused for a human (`berth promote`, `berth rollout resume`).</summary>
    Paused,
    Aborted,

    /// <summary>The new release became the service's release in this plan.</summary>
    Switched,

    /// <summary>The old release was scaled down; the rollout is over.</summary>
    Completed,
}

/// <summary>An event to append with the plan's writes.</summary>
public sealed record PlannedEvent(string Kind, string Message);

/// <summary>A smoke command to run: what and how long it may take (the executor adds where and with which variables).</summary>
public sealed record SmokeRequest(string Command, TimeSpan Timeout);
