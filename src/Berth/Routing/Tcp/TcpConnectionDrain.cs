namespace Berth.Routing.Tcp;

/// <summary>
/// The open connections of a TCP door, by replica, and the draining of replicas that left the route: their
/// connections keep flowing until they close or the grace (the service's stop_grace_period) elapses, then the router
/// closes them. A replica that comes back into the route before then is no longer drained.
/// </summary>
internal sealed class TcpConnectionDrain : IDisposable
{
    private readonly TimeProvider _time;
    private readonly Action<string, int> _closedAfterGrace;
    private readonly Dictionary<string, ReplicaConnections> _replicas = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private IReadOnlySet<string> _routed = new HashSet<string>(StringComparer.Ordinal);
    private TimeSpan _grace;
    private bool _disposed;

    /// <param name="time">The router's clock (the grace is measured on it).</param>
    /// <param name="closedAfterGrace">Told which replica had how many connections closed at the end of its grace.</param>
    public TcpConnectionDrain(TimeProvider time, Action<string, int> closedAfterGrace)
    {
        _time = time;
        _closedAfterGrace = closedAfterGrace;
    }

    /// <summary>Open connections to a replica right now.</summary>
    public int Count(string replicaId)
    {
        lock (_gate)
        {
            return _replicas.TryGetValue(replicaId, out var replica) ? replica.Open.Count : 0;
        }
    }

    /// <summary>
    /// The route's replicas are now <paramref name="routed"/>: the others' connections start draining (closed after
    /// <paramref name="grace"/>); a draining replica listed again stops draining.
    /// </summary>
    public void Route(IReadOnlySet<string> routed, TimeSpan grace)
    {
        lock (_gate)
        {
            _routed = routed;
            _grace = grace;
            foreach (var (id, replica) in _replicas)
            {
                if (routed.Contains(id))
                {
                    replica.StopDraining();
                }
                else if (replica.Drain is null)
                {
                    StartDraining(id, replica);
                }
            }
        }
    }

    /// <summary>Tracks a connection until the returned handle is disposed (when the connection has ended).</summary>
    public IDisposable Track(string replicaId, TcpProxyConnection connection)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                connection.Close();
                return new Tracked(this, replicaId, connection);
            }

            if (!_replicas.TryGetValue(replicaId, out var replica))
            {
                replica = new ReplicaConnections();
                _replicas[replicaId] = replica;
            }

            replica.Open.Add(connection);

            // Picked from a route that listed the replica, tracked after a new route left it out: it drains too.
            if (!_routed.Contains(replicaId) && replica.Drain is null)
            {
                StartDraining(replicaId, replica);
            }
        }

        return new Tracked(this, replicaId, connection);
    }

    /// <summary>Closes every connection now (the door is closing).</summary>
    public void Dispose()
    {
        List<TcpProxyConnection> open;
        lock (_gate)
        {
            _disposed = true;
            open = _replicas.Values.SelectMany(r => r.Open).ToList();
            foreach (var replica in _replicas.Values)
            {
                replica.StopDraining();
            }
        }

        foreach (var connection in open)
        {
            connection.Close();
        }
    }

    private void Untrack(string replicaId, TcpProxyConnection connection)
    {
        lock (_gate)
        {
            if (_replicas.TryGetValue(replicaId, out var replica) && replica.Open.Remove(connection) && replica.Open.Count == 0)
            {
                // Nothing left to drain or count: forget the replica (ids of replaced replicas are never reused).
                replica.StopDraining();
                _replicas.Remove(replicaId);
            }
        }
    }

    // Called under _gate.
    private void StartDraining(string replicaId, ReplicaConnections replica)
    {
        var drain = new CancellationTokenSource();
        replica.Drain = drain;
        _ = CloseAfterGraceAsync(replicaId, replica, _grace, drain.Token);
    }

    private async Task CloseAfterGraceAsync(string replicaId, ReplicaConnections replica, TimeSpan grace, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(grace, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return; // Routed again, all closed by their clients, or the door closed.
        }

        List<TcpProxyConnection> open;
        lock (_gate)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            open = [.. replica.Open];
            replica.StopDraining();
        }

        foreach (var connection in open)
        {
            connection.Close();
        }

        if (open.Count > 0)
        {
            _closedAfterGrace(replicaId, open.Count);
        }
    }

    private sealed class ReplicaConnections
    {
        public HashSet<TcpProxyConnection> Open { get; } = [];

        public CancellationTokenSource? Drain { get; set; }

        public void StopDraining()
        {
            Drain?.Cancel();
            Drain?.Dispose();
            Drain = null;
        }
    }

    private sealed class Tracked(TcpConnectionDrain owner, string replicaId, TcpProxyConnection connection) : IDisposable
    {
        public void Dispose() => owner.Untrack(replicaId, connection);
    }
}
