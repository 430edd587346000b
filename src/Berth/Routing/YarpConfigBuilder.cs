using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Health;

namespace Berth.Routing;

/// <summary>Translates a <see cref="ServiceRoute"/> into YARP's route and clusters (stable, and candidate when there is one).</summary>
internal static class YarpConfigBuilder
{
    public const string ServedByMetadata = "served-by";

    public static (IReadOnlyList<RouteConfig> Routes, IReadOnlyList<ClusterConfig> Clusters) Build(ServiceRoute route)
    {
        var clusters = new List<ClusterConfig> { Cluster(RouteSnapshot.StableClusterId(route.Service), route.Stable, route.Settings) };
        if (route.Candidate is { } candidate)
        {
            clusters.Add(Cluster(RouteSnapshot.CandidateClusterId(route.Service), candidate, route.Settings));
        }

        var routes = new List<RouteConfig>
        {
            new()
            {
                RouteId = route.Service,
                ClusterId = RouteSnapshot.StableClusterId(route.Service),
                Match = new RouteMatch { Path = "{**catch-all}" },
            },
        };
        return (routes, clusters);
    }

    private static ClusterConfig Cluster(string id, RoutePool pool, RouteSettings settings) => new()
    {
        ClusterId = id,
        LoadBalancingPolicy = BalancingPolicies.ToYarp(settings.Balancing),
        HttpRequest = new Yarp.ReverseProxy.Forwarder.ForwarderRequestConfig { ActivityTimeout = settings.ResponseTimeout },
        HealthCheck = new HealthCheckConfig
        {
            Active = settings.HealthPath is null
                ? null
                : new ActiveHealthCheckConfig
                {
                    Enabled = true,
                    Interval = settings.HealthInterval,
                    Timeout = settings.HealthTimeout,
                    Policy = HealthCheckConstants.ActivePolicy.ConsecutiveFailures,
                    Path = settings.HealthPath,
                },
            Passive = new PassiveHealthCheckConfig
            {
                Enabled = true,
                Policy = ConsecutiveFailuresPolicy.PolicyName,
                ReactivationPeriod = settings.EjectionPeriod,
            },
            AvailableDestinationsPolicy = HealthCheckConstants.AvailableDestinations.HealthyAndUnknown,
        },
        Destinations = pool.Destinations.ToDictionary(
            d => d.ReplicaId,
            d => new DestinationConfig
            {
                Address = $"http://{d.Address}",
                Metadata = new Dictionary<string, string>
                {
                    ["release"] = d.Release.ToString(System.Globalization.CultureInfo.InvariantCulture),

                    // Built once here, not per response.
                    [ServedByMetadata] = $"release={d.Release}; replica={d.ReplicaId}",
                },
            },
            StringComparer.Ordinal),
    };
}
