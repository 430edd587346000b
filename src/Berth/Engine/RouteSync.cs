using Berth.Routing;
using Berth.Spec;
using Berth.Store;
using Microsoft.Extensions.Options;

namespace Berth.Engine;

/// <summary>Keeps the router in step with a service: its published ports, and only the replicas that are ready.</summary>
public sealed class RouteSync
{
    private readonly ITrafficRouter _router;
    private readonly EventLog _events;
    private readonly RouterOptions _options;
    private readonly Dictionary<string, string?> _lastErrors = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public RouteSync(ITrafficRouter router, EventLog events, IOptions<RouterOptions> options)
    {
        _router = router;
        _events = events;
        _options = options.Value;
    }

    /// <summary>The route a service should have now.</summary>
    public ServiceRoute Build(ServiceRecord service, ReleaseRecord release, IEnumerable<ReplicaRecord> replicas)
    {
        var spec = release.Spec;
        var ready = replicas
            .Where(r => r.IsReady() && r.DesiredState == DesiredStates.Running && r.Endpoint is not null)
            .OrderBy(r => r.Slot)
            .Select(r => new RouteDestination(r.Id, r.Release, r.Endpoint!))
            .ToList();
        return new ServiceRoute
        {
            Service = service.Name,
            FrontDoors = spec.Ports
                .Where(p => p.Published is not null && p.Protocol == "tcp")
                .Select(p => new FrontDoorAddress(p.HostIp ?? _options.BindAddress, p.Published!.Value))
                .ToList(),
            Stable = new RoutePool("stable", service.Release, ready),
            Settings = SettingsOf(spec),
        };
    }

    /// <summary>Applies the route; a failure becomes one event (not one per pass) and the old route keeps serving.</summary>
    public async Task ApplyAsync(ServiceRecord service, ServiceRoute route, CancellationToken cancellationToken)
    {
        var result = await _router.ApplyAsync(route, cancellationToken);
        string? previous;
        lock (_gate)
        {
            previous = _lastErrors.GetValueOrDefault(service.Name);
            _lastErrors[service.Name] = result.Error;
        }

        if (result.Error is { } error && error != previous)
        {
            await _events.AppendAsync("router.error", service.Stack, service.Name, null, error, cancellationToken);
        }
    }

    public Task DrainAsync(string service, string replicaId, CancellationToken cancellationToken) =>
        _router.DrainAsync(service, replicaId, cancellationToken);

    public Task RemoveAsync(string service, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _lastErrors.Remove(service);
        }

        return _router.RemoveAsync(service, cancellationToken);
    }

    public static RouteSettings SettingsOf(ServiceSpec spec)
    {
        var router = spec.Berth.Router ?? new RouterSpec();
        var defaults = new RouteSettings();
        return new RouteSettings
        {
            Balancing = router.Balancing ?? defaults.Balancing,
            UserHeader = router.UserHeader,
            UserCookie = router.UserCookie ?? defaults.UserCookie,
            OverrideHeader = router.OverrideHeader ?? defaults.OverrideHeader,
            ServedByHeader = router.ServedByHeader ?? defaults.ServedByHeader,
            HealthPath = router.HealthPath ?? spec.Berth.Health.HttpPath,
            HealthInterval = router.HealthInterval ?? defaults.HealthInterval,
            HealthTimeout = router.HealthTimeout ?? defaults.HealthTimeout,
            EjectAfterFailures = router.EjectAfterFailures ?? defaults.EjectAfterFailures,
            EjectionPeriod = router.EjectionPeriod ?? defaults.EjectionPeriod,
            DrainTimeout = router.DrainTimeout ?? defaults.DrainTimeout,
            RetryMethods = router.RetryMethods ?? defaults.RetryMethods,
        };
    }
}
