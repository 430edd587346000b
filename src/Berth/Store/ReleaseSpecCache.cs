using System.Collections.Concurrent;
using Berth.Spec;

namespace Berth.Store;

/// <summary>
/// Release specs already read, by their stored JSON: a release is never updated, and the engine reads the same few
/// releases on every pass, so each JSON text is deserialized once. Keyed by the text itself (not by service and
/// number, which a removed and redeployed service reuses), so a hit is always what deserializing would give.
/// Specs are immutable records and are shared. Bounded: it starts afresh past <see cref="Capacity"/> entries.
/// </summary>
public sealed class ReleaseSpecCache
{
    public const int Capacity = 4096;

    private readonly ConcurrentDictionary<string, ServiceSpec> _specs = new(StringComparer.Ordinal);

    public ServiceSpec Get(string json)
    {
        if (_specs.TryGetValue(json, out var spec))
        {
            return spec;
        }

        spec = BerthStore.DeserializeSpec(json);
        if (_specs.Count >= Capacity)
        {
            _specs.Clear();
        }

        _specs[json] = spec;
        return spec;
    }
}
