using Berth.Routing;
using Berth.Spec;
using Berth.Store;

namespace Berth.Engine.Progressive;

/// <summary>
/// How a service's traffic is split: which release the stable pool serves, which one (if any) the candidate pool
/// serves, its weight, match rule and preview door. Derived from saved state (what the router should serve) or read
/// back from a route (what it serves); the two are equal once the router has a rollout's latest move.
/// </summary>
public sealed record RouteSplit(int StableRelease, int? CandidateRelease, string? CandidatePool, int Weight, MatchRule? Match, int? PreviewPort)
{
    public const string CanaryPool = "canary";
    public const string GreenPool = "green";

    /// <summary>What a route serves.</summary>
    public static RouteSplit Of(ServiceRoute route)
    {
        ArgumentNullException.ThrowIfNull(route);
        return new(route.Stable.Release, route.Candidate?.Release, route.Candidate?.Name, route.CandidateWeight, route.Settings.Match, route.Preview?.Port);
    }

    /// <summary>
    /// What a service on <paramref name="serviceRelease"/> should serve given its latest rollout and the strategy of the
    /// rollout's target release: during a blue/green or canary rollout before its switch, the new release is a second
    /// pool with the progress's weight and match and the strategy's preview door; otherwise one pool.
    /// </summary>
    public static RouteSplit Of(int serviceRelease, RolloutRecord? latest, StrategySpec? strategy)
    {
        var plain = new RouteSplit(serviceRelease, null, null, 0, null, null);
        if (latest is null || latest.Strategy == StrategySpec.RollingKind || !latest.IsActive || latest.Progress is not { } progress
            || progress.Phase is RolloutPhases.Promoted or RolloutPhases.Done || latest.ToRelease == serviceRelease)
        {
            return plain;
        }

        return plain with
        {
            CandidateRelease = latest.ToRelease,
            CandidatePool = latest.Strategy == StrategySpec.CanaryKind ? CanaryPool : GreenPool,
            Weight = progress.Weight,
            Match = progress.Match is { } match ? new MatchRule(match.Header, match.Cookie, match.Value) : null,
            PreviewPort = strategy?.Canary?.PreviewPort ?? strategy?.BlueGreen?.PreviewPort,
        };
    }
}
