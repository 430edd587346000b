using Berth.Spec;

namespace Berth.Store;

/// <summary>
/// Release specs already read, by their stored JSON: a release is never updated, and the engine reads the same few
/// releases on every pass, so each JSON text is deserialized once. Keyed by the text itself (not by service and
/// number, which a removed and redeployed service reuses), so a hit is always what deserializing would give.
/// Specs are immutable records and are shared.
/// <para>
/// Two generations keep it to what is read: every <see cref="GenerationLength"/> (or once it holds
/// <see cref="Capacity"/> specs) the recent generation becomes the older one and the older one is dropped; a spec read
/// from the older one moves back to the recent one. So a spec read at least once a generation stays (the engine's
/// passes read the releases of every service they look at), and one nobody reads any more (a release a deploy
/// replaced, kept in the history) goes within two. It used to keep every release ever read, up to 4,096: the soak's
/// server heap grew by one spec per deploy (bench/results/reliability-2026-12-07.md). By time, not by reads: with
/// snapshots cached, a deploy reads its specs only a few times.
/// </para>
/// </summary>
public sealed class ReleaseSpecCache
{
    public const int Capacity = 4096;
    public static readonly TimeSpan GenerationLength = TimeSpan.FromSeconds(30);

    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private Dictionary<string, ServiceSpec> _recent = new(StringComparer.Ordinal);
    private Dictionary<string, ServiceSpec> _older = new(StringComparer.Ordinal);
    private long _generationStarted;

    public ReleaseSpecCache(TimeProvider time)
    {
        _time = time;
        _generationStarted = time.GetTimestamp();
    }

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
            if (_time.GetElapsedTime(_generationStarted) >= GenerationLength || _recent.Count >= Capacity)
            {
                _older = _recent;
                _recent = new(StringComparer.Ordinal);
                _generationStarted = _time.GetTimestamp();
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
