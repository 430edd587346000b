using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Berth.Routing.Handover;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Berth.Routing.Tcp;

/// <summary>
/// A TCP listener of the router on a published port (<c>app_protocol: tcp</c>): each accepted connection goes to one
/// ready replica of the pool its split picks (<see cref="TcpPoolSplit"/>, <see cref="TcpBalancer"/>), and its bytes
/// are copied both ways. A replica that refuses the connect is skipped for the next one and, after a few in a row,
/// ejected (<see cref="TcpPassiveHealth"/>); one that leaves the route keeps its open connections until they close or
/// the grace elapses (<see cref="TcpConnectionDrain"/>).
/// </summary>
internal sealed class TcpFrontDoor : IFrontDoor
{
    // A replica on loopback refuses at once; this bounds a connect to one that does not answer at all.
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan AcceptRetryDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(5);

    // A connection a replica accepted counts as one successful "request" in the router's metrics (class 2xx), one
    // no replica accepted as a connection error: what a canary's error rate is made of for a TCP service.
    private const int Accepted = 200;

    private readonly Socket _listener;
    private readonly ListenerSockets _listeners;
    private readonly IPEndPoint _endpoint;
    private readonly RouteSnapshot _snapshot;
    private readonly RouterMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TcpPoolSplit _split = new();
    private readonly TcpBalancer _balancer = new();
    private readonly TcpPassiveHealth _health;
    private readonly TcpConnectionDrain _connections;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<Task, byte> _serving = new();
    private readonly Lock _applyGate = new();
    private readonly Task _accepting;

    private TcpFrontDoor(FrontDoorAddress address, bool preview, Socket listener, ListenerSockets listeners, IPEndPoint endpoint, ServiceRoute route, RouterMetrics metrics, ILogger logger)
    {
        _listeners = listeners;
        _endpoint = endpoint;
        Address = address;
        Preview = preview;
        _listener = listener;
        _snapshot = new RouteSnapshot(route);
        _metrics = metrics;
        _time = metrics.Time;
        _logger = logger;
        _health = new TcpPassiveHealth(_time);
        _connections = new TcpConnectionDrain(_time, ClosedAfterGrace);
        _connections.Route(RoutedReplicas(route), route.Settings.StopGracePeriod);
        _accepting = AcceptAsync();
    }

    public FrontDoorAddress Address { get; }

    public bool Preview { get; }

    public ServiceRoute Route => _snapshot.Route;

    /// <summary>Starts listening; throws <see cref="IOException"/> when the address cannot be bound (e.g. port taken).</summary>
    public static TcpFrontDoor Start(FrontDoorAddress address, bool preview, ServiceRoute route, RouterMetrics metrics, ListenerSockets listeners, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(listeners);
        var endpoint = new IPEndPoint(FrontDoor.ParseHost(address.Host), address.Port);
        Socket listener;
        try
        {
            // The socket handed over by the router this one replaced (berth router restart), else a new one.
            listener = listeners.CreateBound(endpoint);
        }
        catch (SocketException exception)
        {
            // Wrapped as Kestrel wraps it, so the router words a taken port the same way for both kinds of door.
            throw new IOException($"cannot bind {address}: {exception.Message}", exception);
        }

        try
        {
            listener.Listen(512);
        }
        catch (SocketException exception)
        {
            listeners.Release(endpoint);
            listener.Dispose();
            throw new IOException($"cannot listen on {address}: {exception.Message}", exception);
        }

        return new TcpFrontDoor(address, preview, listener, listeners, endpoint, route, metrics, logger);
    }

    /// <summary>Swaps in a new route: new connections see it at once; replicas it left out start draining.</summary>
    public void Apply(ServiceRoute route)
    {
        ArgumentNullException.ThrowIfNull(route);
        lock (_applyGate)
        {
            _snapshot.Replace(route);
            var routed = RoutedReplicas(route);
            _health.Retain(routed);
            _connections.Route(routed, route.Settings.StopGracePeriod);
        }
    }

    /// <summary>Open connections to the replica (through this door).</summary>
    public Func<int> InFlightOf(string replicaId) => () => _connections.Count(replicaId);

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listeners.Release(_endpoint);
        _listener.Dispose();
        await _accepting;
        _connections.Dispose();
        try
        {
            await Task.WhenAll(_serving.Keys).WaitAsync(CloseTimeout);
        }
        catch (TimeoutException)
        {
            // A connect still under way gives up on its own (the stopping token); nothing waits for it.
        }

        _stopping.Dispose();
    }

    private static HashSet<string> RoutedReplicas(ServiceRoute route) =>
        route.Stable.Destinations.Concat(route.Candidate?.Destinations ?? []).Select(d => d.ReplicaId).ToHashSet(StringComparer.Ordinal);

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException exception)
            {
                if (_stopping.IsCancellationRequested)
                {
                    return;
                }

                // E.g. out of file descriptors: say so, and do not spin.
                TcpLog.AcceptFailed(_logger, Route.Service, Address.ToString(), exception.Message);
                try
                {
                    await Task.Delay(AcceptRetryDelay, _time, _stopping.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                continue;
            }

            var serving = ServeAsync(client);
            _serving.TryAdd(serving, 0);
            _ = serving.ContinueWith(
                static (task, state) => ((ConcurrentDictionary<Task, byte>)state!).TryRemove(task, out _),
                _serving,
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
    }

    private async Task ServeAsync(Socket client)
    {
        try
        {
            client.NoDelay = true;
            var route = _snapshot.Route;
            var pool = _split.Choose(route, Preview);
            var started = _time.GetTimestamp();
            var tried = new HashSet<string>(StringComparer.Ordinal);
            RouteDestination? last = null;
            while (_balancer.Pick(pool.Destinations, route.Settings.Balancing, tried, _health.IsEjected, _connections.Count) is { } destination)
            {
                tried.Add(destination.ReplicaId);
                last = destination;
                if (await ConnectAsync(route, destination).ConfigureAwait(false) is not { } upstream)
                {
                    continue;
                }

                _health.Succeeded(destination.ReplicaId);
                _metrics.MetersOf(route.Service, destination.Release, destination.ReplicaId).Record(Accepted, false, _time.GetElapsedTime(started));
                var connection = new TcpProxyConnection(client, upstream);
                using (_connections.Track(destination.ReplicaId, connection))
                {
                    await connection.RunAsync().ConfigureAwait(false);
                }

                return;
            }

            if (last is not null)
            {
                _metrics.MetersOf(route.Service, last.Release, last.ReplicaId).Record(0, true, _time.GetElapsedTime(started));
            }

            TcpLog.NoReplica(_logger, route.Service, Address.ToString(), pool.Release);
            client.Dispose();
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException or IOException or OperationCanceledException)
        {
            // The client left, or the door is closing.
            client.Dispose();
        }
    }

    /// <summary>A connected socket to the replica, or null after recording the failure against it.</summary>
    private async Task<Socket?> ConnectAsync(ServiceRoute route, RouteDestination destination)
    {
        if (EndpointOf(destination.Address) is not { } endpoint)
        {
            Failed(route, destination, $"\"{destination.Address}\" is not host:port");
            return null;
        }

        var socket = endpoint is IPEndPoint ip ? new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp) : new Socket(SocketType.Stream, ProtocolType.Tcp);
        using var timeout = new CancellationTokenSource(ConnectTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, _stopping.Token);
        try
        {
            await socket.ConnectAsync(endpoint, linked.Token).ConfigureAwait(false);
            socket.NoDelay = true;
            return socket;
        }
        catch (Exception exception) when (exception is SocketException || (exception is OperationCanceledException && !_stopping.IsCancellationRequested))
        {
            socket.Dispose();
            Failed(route, destination, exception is SocketException socketError ? socketError.Message : $"no answer within {ConnectTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s");
            return null;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private void Failed(ServiceRoute route, RouteDestination destination, string reason)
    {
        TcpLog.ConnectFailed(_logger, route.Service, destination.ReplicaId, reason);
        if (_health.Failed(destination.ReplicaId, route.Settings))
        {
            TcpLog.Ejected(_logger, route.Service, destination.ReplicaId, Address.ToString(), route.Settings.EjectionPeriod);
            _metrics.RecordEjection(route.Service);
        }
    }

    /// <summary>"127.0.0.1:5000", "[::1]:5000" or "node-1:5000" (a Swarm node's name); null for anything else.</summary>
    private static EndPoint? EndpointOf(string address)
    {
        if (IPEndPoint.TryParse(address, out var ip) && ip.Port != 0)
        {
            return ip;
        }

        var colon = address.LastIndexOf(':');
        return colon > 0 && int.TryParse(address[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535
            ? new DnsEndPoint(address[..colon], port)
            : null;
    }

    private void ClosedAfterGrace(string replicaId, int count)
    {
        var route = _snapshot.Route;
        TcpLog.ClosedAfterGrace(_logger, route.Service, replicaId, count, route.Settings.StopGracePeriod);
    }
}
