using Berth.Api;
using Berth.Routing;

namespace Berth.Server.Api;

/// <summary>Turns the router's current route of a service into its API shape, with KPIs over the last minute.</summary>
internal static class RouteDescriber
{
    private static readonly TimeSpan Minute = TimeSpan.FromSeconds(60);

    public static RouteInfo? Describe(ITrafficRouter router, Berth.Routing.Fleet.FleetMetrics metrics, string service) =>
        Describe(router, metrics, service, Minute);

    /// <summary>Same, with KPIs over <paramref name="window"/> (the dashboard's live charts use a few seconds).</summary>
    public static RouteInfo? Describe(ITrafficRouter router, Berth.Routing.Fleet.FleetMetrics metrics, string service, TimeSpan window)
    {
        if (router.Current(service) is not { } route)
        {
            return null;
        }

        return new RouteInfo
        {
            FrontDoors = route.FrontDoors.Select(a => a.ToString()).ToList(),
            Preview = route.Preview?.ToString(),
            Stable = Pool(route.Service, route.Stable, metrics, window),
            Candidate = route.Candidate is null ? null : Pool(route.Service, route.Candidate, metrics, window),
            CandidateWeight = route.CandidateWeight,
            Balancing = route.Settings.Balancing,
        };
    }

    private static RoutePoolInfo Pool(string service, RoutePool pool, Berth.Routing.Fleet.FleetMetrics metrics, TimeSpan window) => new(
        pool.Name,
        pool.Release,
        pool.Destinations.Select(d => new RouteReplicaInfo(d.ReplicaId, d.Address, d.Release, Kpi(metrics.ForReplica(service, d.ReplicaId, window)))).ToList(),
        Kpi(metrics.ForRelease(service, pool.Release, window)));

    private static KpiInfo Kpi(KpiSnapshot snapshot) =>
        new(snapshot.Window.TotalSeconds, snapshot.Requests, snapshot.ErrorRate, snapshot.P50Ms, snapshot.P95Ms, snapshot.P99Ms);
}
