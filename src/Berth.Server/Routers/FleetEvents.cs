using Berth.Engine;
using Berth.Engine.Events;
using Berth.Routing.Fleet;

namespace Berth.Server.Routers;

/// <summary>Routers joining, going stale and coming back, in the event log.</summary>
public sealed class FleetEvents : IRouterFleetObserver
{
    private readonly EventLog _events;

    public FleetEvents(EventLog events)
    {
        _events = events;
    }

    public async Task RouterChangedAsync(string routerId, string change, string message, CancellationToken cancellationToken) =>
        await _events.AppendAsync(change, null, null, null, message, cancellationToken);
}
