using System.Diagnostics;
using Berth.Routing.Handover;
using Microsoft.Extensions.Logging;

namespace Berth.Routing;

/// <summary>
/// The router: YARP front doors per published port, in the server process. Validates a service's routes before
/// touching anything, opens new ports before switching, and keeps the previous routes serving when a change fails.
/// </summary>
public sealed partial class YarpTrafficRouter : ITrafficRouter, IAsyncDisposable
{
    private static readonly TimeSpan DrainPoll = TimeSpan.FromMilliseconds(20);
    private readonly RouterMetrics _metrics;
    private readonly ILogger<YarpTrafficRouter> _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, List<IFrontDoor>> _doors = new(StringComparer.Ordinal);

    private readonly ListenerSockets _listeners;

    public YarpTrafficRouter(RouterMetrics metrics, ILogger<YarpTrafficRouter> logger)
        : this(metrics, new ListenerSockets(), logger)
    {
    }

    /// <param name="listeners">Where front doors get their listening sockets (and find those handed over by a previous router).</param>
    public YarpTrafficRouter(RouterMetrics metrics, ListenerSockets listeners, ILogger<YarpTrafficRouter> logger)
    {
        _metrics = metrics;
        _listeners = listeners;
        _logger = logger;
    }

    public async Task<RouteApplyResult> ApplyAsync(ServiceRoute route, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (Validate(route) is { } invalid)
            {
                return RouteApplyResult.Failed(invalid);
            }

            var current = _doors.GetValueOrDefault(route.Service) ?? [];
            var wanted = route.FrontDoors.Select(a => (Address: a, Preview: false)).ToList();
            if (route.Preview is { } preview)
            {
                wanted.Add((preview, true));
            }

            current = await CloseSwitchingAsync(route.Service, current, wanted.Select(w => w.Address));

            // Open the new ports first: if one cannot be bound, nothing changes and the old routes keep serving.
            var opened = new List<IFrontDoor>();
            foreach (var (address, isPreview) in wanted.Where(w => !current.Any(d => d.Address == w.Address && d.Preview == w.Preview)))
            {
                try
                {
                    opened.Add(await OpenAsync(address, isPreview, route, cancellationToken));
                }
                catch (Exception exception) when (exception is IOException or System.Net.Sockets.SocketException or InvalidOperationException)
                {
                    foreach (var door in opened)
                    {
                        await door.DisposeAsync();
                    }

                    return RouteApplyResult.Failed($"service {route.Service}: cannot listen on {address}: {Reason(exception)}");
                }
            }

            var kept = current.Where(d => wanted.Any(w => w.Address == d.Address && w.Preview == d.Preview)).ToList();
            foreach (var door in kept)
            {
                door.Apply(route);
            }

            foreach (var door in current.Except(kept))
            {
                await door.DisposeAsync();
            }

            lock (_doors)
            {
                _doors[route.Service] = [.. kept, .. opened];
            }

            return RouteApplyResult.Ok;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Applies a route, then waits until the replicas it took out have no request in flight (up to the route's drain
    /// timeout): what a router process does before acknowledging a route version.
    /// </summary>
    public async Task<RouteApplyResult> ApplyAndDrainAsync(ServiceRoute route, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(route);
        var leaving = new List<Func<int>>();
        List<IFrontDoor> doors;
        lock (_doors)
        {
            doors = _doors.GetValueOrDefault(route.Service) ?? [];
        }

        if (doors.Count > 0)
        {
            var kept = route.Stable.Destinations.Concat(route.Candidate?.Destinations ?? []).Select(d => d.ReplicaId).ToHashSet(StringComparer.Ordinal);
            var current = doors[0].Route;
            foreach (var gone in current.Stable.Destinations.Concat(current.Candidate?.Destinations ?? []).Where(d => !kept.Contains(d.ReplicaId)))
            {
                foreach (var door in doors)
                {
                    leaving.Add(door.InFlightOf(gone.ReplicaId));
                }
            }
        }

        var result = await ApplyAsync(route, cancellationToken);
        var clock = Stopwatch.StartNew();
        while (result.Applied && leaving.Any(inFlight => inFlight() > 0) && clock.Elapsed < route.Settings.DrainTimeout)
        {
            await Task.Delay(DrainPoll, cancellationToken);
        }

        return result;
    }

    /// <summary>The services this router serves now.</summary>
    public IReadOnlyList<string> Services()
    {
        lock (_doors)
        {
            return _doors.Where(d => d.Value.Count > 0).Select(d => d.Key).ToList();
        }
    }

    public async Task DrainAsync(string service, string replicaId, CancellationToken cancellationToken)
    {
        List<IFrontDoor> doors;
        TimeSpan timeout;
        var watched = new List<Func<int>>();
        await _gate.WaitAsync(cancellationToken);
        try
        {
            doors = _doors.GetValueOrDefault(service) ?? [];
            if (doors.Count == 0)
            {
                return;
            }

            var route = doors[0].Route;
            timeout = route.Settings.DrainTimeout;
            var drained = route with
            {
                Stable = Without(route.Stable, replicaId),
                Candidate = route.Candidate is null ? null : Without(route.Candidate, replicaId),
            };
            foreach (var door in doors)
            {
                watched.Add(door.InFlightOf(replicaId));
                door.Apply(drained);
            }
        }
        finally
        {
            _gate.Release();
        }

        // New requests no longer reach the replica; wait for the ones already on their way.
        var clock = Stopwatch.StartNew();
        while (watched.Any(inFlight => inFlight() > 0) && clock.Elapsed < timeout)
        {
            await Task.Delay(DrainPoll, cancellationToken);
        }

        Log.Drained(_logger, service, replicaId, clock.Elapsed, watched.Sum(inFlight => inFlight()));
    }

    public async Task RemoveAsync(string service, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            List<IFrontDoor>? doors;
            lock (_doors)
            {
                _doors.Remove(service, out doors);
            }

            if (doors is not null)
            {
                foreach (var door in doors)
                {
                    await door.DisposeAsync();
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public ServiceRoute? Current(string service)
    {
        lock (_doors)
        {
            return _doors.TryGetValue(service, out var doors) && doors.Count > 0 ? doors[0].Route : null;
        }
    }

    /// <summary>Every service's current route (for `service inspect` and the dashboard).</summary>
    public IReadOnlyList<ServiceRoute> All()
    {
        lock (_doors)
        {
            return _doors.Values.Where(d => d.Count > 0).Select(d => d[0].Route).ToList();
        }
    }

    private string? Validate(ServiceRoute route)
    {
        if (route.CandidateWeight is < 0 or > 100)
        {
            return $"service {route.Service}: weight must be between 0 and 100 (got {route.CandidateWeight})";
        }

        if (route.FrontDoors.Concat(route.Preview is null ? [] : [route.Preview]).FirstOrDefault(a => a.Protocol is not (FrontDoorProtocols.Http or FrontDoorProtocols.Tcp)) is { } unknown)
        {
            return $"service {route.Service}: front door {unknown.Host}:{unknown.Port} must speak {FrontDoorProtocols.Http} or {FrontDoorProtocols.Tcp} (got \"{unknown.Protocol}\")";
        }

        if (!BalancingPolicies.All.Contains(route.Settings.Balancing))
        {
            return $"service {route.Service}: x-berth.router.balancing must be one of: {string.Join(", ", BalancingPolicies.All)} (got \"{route.Settings.Balancing}\")";
        }

        var ports = route.FrontDoors.Select(a => a.Port).Concat(route.Preview is null ? [] : [route.Preview.Port]).ToList();
        if (ports.Distinct().Count() != ports.Count)
        {
            return $"service {route.Service}: a port is listed twice ({string.Join(", ", ports)})";
        }

        foreach (var (other, doors) in _doors)
        {
            if (other != route.Service && doors.FirstOrDefault(d => ports.Contains(d.Address.Port)) is { } clash)
            {
                return $"service {route.Service}: port {clash.Address.Port} is already published by service {other}";
            }
        }

        return null;
    }

    private async Task<IFrontDoor> OpenAsync(FrontDoorAddress address, bool preview, ServiceRoute route, CancellationToken cancellationToken) =>
        address.Protocol == FrontDoorProtocols.Tcp
            ? Tcp.TcpFrontDoor.Start(address, preview, route, _metrics, _listeners, _logger)
            : await FrontDoor.StartAsync(address, preview, route, _metrics, _listeners, cancellationToken);

    /// <summary>
    /// Closes the doors whose port the route now wants with the other protocol (HTTP ↔ TCP): one port cannot be bound
    /// twice, so these are the only doors closed before their replacement opens. Returns the doors left.
    /// </summary>
    private async Task<List<IFrontDoor>> CloseSwitchingAsync(string service, List<IFrontDoor> current, IEnumerable<FrontDoorAddress> wanted)
    {
        var switching = current.Where(d => wanted.Any(w => w.Host == d.Address.Host && w.Port == d.Address.Port && w.Protocol != d.Address.Protocol)).ToList();
        if (switching.Count == 0)
        {
            return current;
        }

        foreach (var door in switching)
        {
            await door.DisposeAsync();
        }

        var left = current.Except(switching).ToList();
        lock (_doors)
        {
            _doors[service] = left;
        }

        return left;
    }

    private static RoutePool Without(RoutePool pool, string replicaId) =>
        pool with { Destinations = pool.Destinations.Where(d => d.ReplicaId != replicaId).ToList() };

    // Kestrel wraps the socket error twice: IOException → AddressInUseException → SocketException.
    private static string Reason(Exception exception)
    {
        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.AddressAlreadyInUse })
            {
                return "the port is already in use by another program";
            }
        }

        return exception.Message;
    }

    /// <summary>Closes every front door at once, each letting its in-flight requests finish (up to 5 s). Closing twice does nothing.</summary>
    public async ValueTask DisposeAsync()
    {
        List<IFrontDoor> doors;
        lock (_doors)
        {
            doors = _doors.Values.SelectMany(d => d).ToList();
            _doors.Clear();
        }

        await Task.WhenAll(doors.Select(d => d.DisposeAsync().AsTask()));
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 400, Level = LogLevel.Debug, Message = "Drained replica {Replica} of {Service} in {Elapsed} ({Remaining} requests left)")]
        public static partial void Drained(ILogger logger, string service, string replica, TimeSpan elapsed, int remaining);
    }
}
