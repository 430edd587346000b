namespace Berth.Routing.Fleet;

/// <summary>Told when a router joins, goes stale or comes back (the server turns these into events).</summary>
public interface IRouterFleetObserver
{
    Task RouterChangedAsync(string routerId, string change, string message, CancellationToken cancellationToken);
}
