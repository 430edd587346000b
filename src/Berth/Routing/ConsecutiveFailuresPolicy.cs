using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace Berth.Routing;

/// <summary>
/// YARP passive health policy: a replica that fails N requests in a row (connection error or 5xx) is ejected for the
/// ejection period, then tried again; any success resets its count.
/// </summary>
internal sealed class ConsecutiveFailuresPolicy : IPassiveHealthCheckPolicy
{
    public const string PolicyName = "BerthConsecutiveFailures";
    private readonly IDestinationHealthUpdater _health;
    private readonly RouteSnapshot _snapshot;
    private readonly RouterMetrics _metrics;
    private readonly ConcurrentDictionary<string, int> _failures = new(StringComparer.Ordinal);

    public ConsecutiveFailuresPolicy(IDestinationHealthUpdater health, RouteSnapshot snapshot, RouterMetrics metrics)
    {
        _health = health;
        _snapshot = snapshot;
        _metrics = metrics;
    }

    public string Name => PolicyName;

    public void RequestProxied(HttpContext context, ClusterState cluster, DestinationState destination)
    {
        var failed = context.GetForwarderErrorFeature() is not null || context.Response.StatusCode >= 500;
        if (!failed)
        {
            // Hot path: a healthy replica has no entry; the lock-free read avoids TryRemove's bucket lock per request.
            if (_failures.ContainsKey(destination.DestinationId))
            {
                _failures.TryRemove(destination.DestinationId, out _);
            }

            return;
        }

        var route = _snapshot.Route;
        var settings = route.Settings;
        var count = _failures.AddOrUpdate(destination.DestinationId, 1, (_, n) => n + 1);
        if (count >= settings.EjectAfterFailures)
        {
            _failures.TryRemove(destination.DestinationId, out _);
            _health.SetPassive(cluster, destination, DestinationHealth.Unhealthy, settings.EjectionPeriod);
            _metrics.RecordEjection(route.Service);
        }
    }
}
