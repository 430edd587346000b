using Berth.Spec;

namespace Berth.Store;

/// <summary>
/// Release specs already read, by their stored JSON: a release is never updated, and the engine reads the same few
/// releases on every pass, so each JSON text is deserialized once. Keyed by the text itself (not by service and
/// number, which a removed and redeployed service reuses), so a hit is always what deserializing would give.
/// Specs are immutable records and are shared.
/// <para>
/// Two generations keep it to what is read: once a generation has had twice as many reads as the specs held (at least
/// <see cref="MinReadsPerGeneration"/>), or holds <see cref="Capacity"/> specs, it becomes the older one and the older
/// one is dropped; a spec read from the older one moves back to the recent one. So every spec the engine's passes read
/// stays (a pass over N services reads each of theirs once in about N reads), and one no pass reads any more (a
/// release a deploy replaced, kept in the history) goes. It used to keep every release ever read, up to 4,096: the
/// soak's server heap grew by one spec per deploy (bench/results/reliability-2026-12-07.md).
/// </para>
/// </summary>
public sealed class ReleaseSpecCache
{
    public const int MinReadsPerGeneration = 64;
    public const int Capacity = 4096;

    private readonly Lock _gate = new();
    private Dictionary<string, ServiceSpec> _recent = new(StringComparer.Ordinal);
    private Dictionary<string, ServiceSpec> _older = new(StringComparer.Ordinal);
    private int _reads;

    /// <summary>The specs held now, both generations.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _recent.Count + _older.Count;
            }
        }
    }

    public ServiceSpec Get(string json)
    {
        lock (_gate)
        {
            if (++_reads > Math.Max(MinReadsPerGeneration, 2 * (_recent.Count + _older.Count)) || _recent.Count >= Capacity)
            {
                _older = _recent;
                _recent = new(StringComparer.Ordinal);
                _reads = 1;
            }

            if (_recent.TryGetValue(json, out var spec))
            {
                return spec;
            }

            if (_older.Remove(json, out spec))
            {
                _recent[json] = spec;
                return spec;
            }
        }

        var read = BerthStore.DeserializeSpec(json);
        lock (_gate)
        {
            // Another reader may have put the same text meanwhile: every reader gets the one instance kept.
            return _recent.TryAdd(json, read) ? read : _recent[json];
        }
    }
}
