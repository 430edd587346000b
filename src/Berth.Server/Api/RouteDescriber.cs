using Berth.Api;
using Berth.Routing;

namespace Berth.Server.Api;

/// <summary>Turns the router's current route of a service into its API shape, with KPIs over the last minute.</summary>
internal static class RouteDescriber
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(60);

    public static RouteInfo? Describe(ITrafficRouter router, Berth.Routing.Fleet.FleetMetrics metrics, string service)
    {
        if (router.Current(service) is not { } route)
        {
            return null;
        }

        return new RouteInfo
        {
            FrontDoors = route.FrontDoors.Select(a => a.ToString()).ToList(),
            Preview = route.Preview?.ToString(),
            Stable = Pool(route.Service, route.Stable, metrics),
            Candidate = route.Candidate is null ? null : Pool(route.Service, route.Candidate, metrics),
            CandidateWeight = route.CandidateWeight,
            Balancing = route.Settings.Balancing,
        };
    }

    private static RoutePoolInfo Pool(string service, RoutePool pool, Berth.Routing.Fleet.FleetMetrics metrics) => new(
        pool.Name,
        pool.Release,
        pool.Destinations.Select(d => new RouteReplicaInfo(d.ReplicaId, d.Address, d.Release, Kpi(metrics.ForReplica(service, d.ReplicaId, Window)))).ToList(),
        Kpi(metrics.ForRelease(service, pool.Release, Window)));

    private static KpiInfo Kpi(KpiSnapshot snapshot) =>
        new(snapshot.Window.TotalSeconds, snapshot.Requests, snapshot.ErrorRate, snapshot.P50Ms, snapshot.P95Ms, snapshot.P99Ms);
}
