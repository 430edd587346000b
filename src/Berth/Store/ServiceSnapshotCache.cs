using System.Collections.Concurrent;

namespace Berth.Store;

/// <summary>
/// The last <see cref="ServiceSnapshot"/> read of each service, valid until a write transaction that touched the
/// service (its row, replicas, rollouts or releases) commits — the engine's informer cache: a settled fleet's resync
/// reads memory, not SQLite. Every write that touches those tables names its service in its transaction
/// (<see cref="StoreTransaction"/>); the store bumps those services' versions once the transaction ends.
/// A reader takes the version before it reads and keeps its snapshot under that version, so a write that commits
/// meanwhile makes the kept snapshot stale at once: a stale snapshot is never served.
/// </summary>
internal sealed class ServiceSnapshotCache
{
    private readonly ConcurrentDictionary<string, long> _versions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    private sealed record Entry(long Version, ServiceSnapshot Snapshot);

    /// <summary>The version to read a service under (take it before the read transaction begins).</summary>
    public long VersionOf(string service) => _versions.GetValueOrDefault(service);

    public bool TryGet(string service, out ServiceSnapshot snapshot)
    {
        if (_entries.TryGetValue(service, out var entry) && entry.Version == VersionOf(service))
        {
            snapshot = entry.Snapshot;
            return true;
        }

        snapshot = null!;
        return false;
    }

    /// <summary>Keeps a snapshot read under <paramref name="version"/> (a write that ended since has made it stale already).</summary>
    public void Put(string service, long version, ServiceSnapshot snapshot) => _entries[service] = new Entry(version, snapshot);

    /// <summary>A write touching these services ended (committed or not): their snapshots are stale.</summary>
    public void Invalidate(IEnumerable<string> services)
    {
        foreach (var service in services)
        {
            _versions.AddOrUpdate(service, 1, (_, version) => version + 1);
            _entries.TryRemove(service, out _);
        }
    }
}
