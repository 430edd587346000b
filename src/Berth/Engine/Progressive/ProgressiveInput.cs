using Berth.Engine.Gates;
using Berth.Routing;
using Berth.Spec;
using Berth.Store;

namespace Berth.Engine.Progressive;

/// <summary>Everything a blue/green or canary planner decides from: saved rollout, observed pool, KPIs, smoke test, router, time.</summary>
public sealed record ProgressiveInput
{
    public required string Service { get; init; }

    /// <summary>The service's release now (the stable pool's; the new release once switched).</summary>
    public required int ServiceRelease { get; init; }

    /// <summary>The service's desired replica count: the new release's size at promotion.</summary>
    public required int Desired { get; init; }

    /// <summary>The rollout as this pass read it, with its progress.</summary>
    public required RolloutRecord Rollout { get; init; }

    /// <summary>The strategy of the rollout's target release.</summary>
    public required StrategySpec Strategy { get; init; }

    /// <summary>The replicas beside the stable pool: the new release before the switch, the old one after.</summary>
    public PoolObservation Pool { get; init; } = PoolObservation.Empty;

    public required IKpiSource Kpis { get; init; }

    /// <summary>The pre-promotion smoke command's status: null when none runs for this rollout.</summary>
    public SmokeStatus? Smoke { get; init; }

    /// <summary>Why the router does not serve the route the saved state implies (an earlier apply failed); null when it does.</summary>
    public string? RouterLag { get; init; }

    /// <summary>The header testers use to reach the new release (named in green's ready message).</summary>
    public string OverrideHeader { get; init; } = new RouteSettings().OverrideHeader;

    public required DateTimeOffset Now { get; init; }

    /// <summary>The new release already became the service's release (promoted).</summary>
    public bool Switched => Rollout.Progress?.Phase == RolloutPhases.Promoted || Rollout.ToRelease == ServiceRelease;

    /// <summary>The release the new one is compared with: the one it replaces.</summary>
    public int StableRelease => Rollout.FromRelease ?? ServiceRelease;
}
