using System.Threading.Channels;
using Berth.Api;

namespace Berth.Routing.Fleet;

/// <summary>
/// The control plane's record of one router: its open stream (if any), what it reported, and which route of each
/// service it has applied (known from its acknowledgements of the updates sent to it).
/// </summary>
internal sealed class RouterMember
{
    public RouterMember(string id)
    {
        Id = id;
    }

    public string Id { get; }

    /// <summary>The open route stream's queue; null while the router is not connected.</summary>
    public Channel<RouteUpdate>? Stream { get; set; }

    /// <summary>Updates sent and not yet acknowledged, oldest first.</summary>
    public List<RouteUpdate> Pending { get; } = [];

    /// <summary>Each service's route as this router applied it (acknowledged, without an error).</summary>
    public Dictionary<string, ServiceRoute> Applied { get; } = new(StringComparer.Ordinal);

    /// <summary>The services it reported it could not apply, with why, as of its last acknowledgement.</summary>
    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);

    public long AckedVersion { get; set; }

    public DateTimeOffset? LastHeard { get; set; }

    public bool Stale { get; set; }

    public RouterReport? LastReport { get; set; }
}
