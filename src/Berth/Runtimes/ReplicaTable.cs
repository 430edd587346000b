using System.Collections.Concurrent;

namespace Berth.Runtimes;

/// <summary>
/// The replicas a driver tracks, by replica id and by service: the engine asks for one service's replicas on every
/// pass, and with thousands of replicas a scan of all of them per pass would make a pass over the fleet quadratic.
/// Safe for concurrent use; an entry's service never changes.
/// </summary>
public sealed class ReplicaTable<T>
    where T : class
{
    private readonly ConcurrentDictionary<string, T> _byId = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, T>> _byService = new(StringComparer.Ordinal);
    private readonly Func<T, string> _serviceOf;

    public ReplicaTable(Func<T, string> serviceOf) => _serviceOf = serviceOf;

    public IEnumerable<T> Values => _byId.Values;

    public int Count => _byId.Count;

    public bool TryGetValue(string replicaId, out T value) => _byId.TryGetValue(replicaId, out value!);

    /// <summary>The entries of one service (none when the service has no replica here).</summary>
    public IEnumerable<T> Of(string service) =>
        _byService.TryGetValue(service, out var entries) ? entries.Values : [];

    /// <summary>Adds or replaces the entry of <paramref name="replicaId"/>; returns the one it replaced, if any.</summary>
    public T? Set(string replicaId, T value)
    {
        T? previous = null;
        _byId.AddOrUpdate(replicaId, value, (_, old) => { previous = old; return value; });
        _byService.GetOrAdd(_serviceOf(value), _ => new ConcurrentDictionary<string, T>(StringComparer.Ordinal))[replicaId] = value;
        return previous;
    }

    /// <summary>Removes the entry of <paramref name="replicaId"/> if it is still <paramref name="expected"/>.</summary>
    public bool TryRemove(string replicaId, T expected)
    {
        if (!_byId.TryRemove(new KeyValuePair<string, T>(replicaId, expected)))
        {
            return false;
        }

        // A service's (possibly empty) index stays: removing it could race with an add for the same service.
        if (_byService.TryGetValue(_serviceOf(expected), out var entries))
        {
            entries.TryRemove(new KeyValuePair<string, T>(replicaId, expected));
        }

        return true;
    }
}
