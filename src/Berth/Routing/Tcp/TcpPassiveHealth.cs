using System.Collections.Concurrent;

namespace Berth.Routing.Tcp;

/// <summary>
/// Passive health of a TCP door's replicas: one that refuses <c>eject_after_failures</c> connects in a row is left out
/// for <c>ejection_period</c>, then tried again; a successful connect resets its count.
/// </summary>
internal sealed class TcpPassiveHealth
{
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, ReplicaHealth> _replicas = new(StringComparer.Ordinal);

    public TcpPassiveHealth(TimeProvider time) => _time = time;

    public bool IsEjected(string replicaId) =>
        _replicas.TryGetValue(replicaId, out var health) && health.EjectedUntil is { } until && until > _time.GetUtcNow();

    /// <summary>Records a refused or timed-out connect; true when it ejected the replica.</summary>
    public bool Failed(string replicaId, RouteSettings settings)
    {
        var health = _replicas.GetOrAdd(replicaId, _ => new ReplicaHealth());
        lock (health)
        {
            health.Failures++;
            if (health.Failures < settings.EjectAfterFailures)
            {
                return false;
            }

            health.Failures = 0;
            health.EjectedUntil = _time.GetUtcNow() + settings.EjectionPeriod;
            return true;
        }
    }

    public void Succeeded(string replicaId)
    {
        // Hot path: a healthy replica has no entry.
        if (_replicas.ContainsKey(replicaId))
        {
            _replicas.TryRemove(replicaId, out _);
        }
    }

    /// <summary>Forgets replicas no longer routed.</summary>
    public void Retain(IReadOnlySet<string> routed)
    {
        foreach (var id in _replicas.Keys.Where(id => !routed.Contains(id)))
        {
            _replicas.TryRemove(id, out _);
        }
    }

    private sealed class ReplicaHealth
    {
        public int Failures { get; set; }

        public DateTimeOffset? EjectedUntil { get; set; }
    }
}
