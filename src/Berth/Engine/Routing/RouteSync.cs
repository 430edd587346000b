using Berth.Engine.Events;
using Berth.Engine.Progressive;
using Berth.Engine.Replicas;
using Berth.Routing;
using Berth.Spec;
using Berth.Store;
using Microsoft.Extensions.Options;

namespace Berth.Engine.Routing;

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

    /// <summary>The address front doors listen on unless a port names its own host_ip.</summary>
    public string BindAddress => _options.BindAddress;

    /// <summary>
    /// The route a service should have now. During a blue/green or canary rollout (<paramref name="latest"/>, with the
    /// new release's record <paramref name="candidate"/>) the new release is a separate pool with its weight, match
    /// rule and preview door, and the stable pool holds only the service's release; otherwise (rolling updates) every
    /// ready replica serves.
    /// </summary>
    public ServiceRoute Build(ServiceRecord service, ReleaseRecord release, IEnumerable<ReplicaRecord> replicas, RolloutRecord? latest = null, ReleaseRecord? candidate = null)
    {
        var spec = release.Spec;
        var ready = replicas
            .Where(r => r.IsReady() && r.DesiredState == DesiredStates.Running && r.Endpoint is not null)
            .OrderBy(r => r.Slot)
            .Select(r => new RouteDestination(r.Id, r.Release, r.Endpoint!))
            .ToList();
        var progressive = latest is not null && latest.Strategy != StrategySpec.RollingKind;
        var route = new ServiceRoute
        {
            Service = service.Name,
            FrontDoors = spec.Ports
                .Where(p => p.Published is not null && p.Protocol == "tcp")
                .Select(p => new FrontDoorAddress(p.HostIp ?? _options.BindAddress, p.Published!.Value, AppProtocols.IsTcp(p.AppProtocol) ? FrontDoorProtocols.Tcp : FrontDoorProtocols.Http))
                .ToList(),
            Stable = new RoutePool("stable", service.Release, progressive ? ready.Where(d => d.Release == service.Release).ToList() : ready),
            Settings = SettingsOf(spec),
        };
        var split = RouteSplit.Of(service.Release, latest, (candidate ?? release).Spec.Berth.Strategy);
        if (split.CandidateRelease is not { } candidateRelease)
        {
            return route;
        }

        return route with
        {
            Candidate = new RoutePool(split.CandidatePool!, candidateRelease, ready.Where(d => d.Release == candidateRelease).ToList()),
            CandidateWeight = split.Weight,
            Settings = route.Settings with { Match = split.Match },
            // The preview door speaks what the service's first door speaks.
            Preview = split.PreviewPort is { } port
                ? new FrontDoorAddress(route.FrontDoors.FirstOrDefault()?.Host ?? _options.BindAddress, port, route.FrontDoors.FirstOrDefault()?.Protocol ?? FrontDoorProtocols.Http)
                : null,
        };
    }

    /// <summary>True when the router serves <paramref name="split"/> for the service now.</summary>
    public bool Serves(string service, RouteSplit split) =>
        _router.Current(service) is { } current && RouteSplit.Of(current) == split;

    /// <summary>
    /// Applies the route, unless the router already serves exactly this one; returns why it was not applied (the old
    /// route keeps serving), or null. A failure becomes one event (not one per pass).
    /// </summary>
    public async Task<string?> ApplyAsync(ServiceRecord service, ServiceRoute route, CancellationToken cancellationToken)
    {
        if (_router.Current(route.Service) is { } current && current.SameAs(route))
        {
            Forget(service.Name);
            return null;
        }

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

        return result.Applied ? null : result.Error ?? "the router did not apply the route";
    }

    private void Forget(string service)
    {
        lock (_gate)
        {
            _lastErrors.Remove(service);
        }
    }

    public Task DrainAsync(string service, string replicaId, CancellationToken cancellationToken) =>
        _router.DrainAsync(service, replicaId, cancellationToken);

    public Task RemoveAsync(string service, CancellationToken cancellationToken)
    {
        Forget(service);
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
            ResponseTimeout = router.ResponseTimeout ?? defaults.ResponseTimeout,
            RetryMethods = router.RetryMethods ?? defaults.RetryMethods,
            StopGracePeriod = spec.StopGracePeriod,
        };
    }
}
