namespace Berth.Routing;

/// <summary>The engine's view of the router: set a service's routes, drain a replica before it stops, forget a service.</summary>
public interface ITrafficRouter
{
    /// <summary>Applies a service's routes atomically; on error (e.g. a port taken) the previous routes keep serving.</summary>
    Task<RouteApplyResult> ApplyAsync(ServiceRoute route, CancellationToken cancellationToken);

    /// <summary>Takes a replica out of rotation, then waits for its in-flight requests (up to the drain timeout).</summary>
    Task DrainAsync(string service, string replicaId, CancellationToken cancellationToken);

    /// <summary>Closes the service's front doors.</summary>
    Task RemoveAsync(string service, CancellationToken cancellationToken);

    /// <summary>The routes currently served for a service, or null.</summary>
    ServiceRoute? Current(string service);
}

/// <summary>Outcome of <see cref="ITrafficRouter.ApplyAsync"/>: applied, or why not.</summary>
public sealed record RouteApplyResult(bool Applied, string? Error)
{
    public static readonly RouteApplyResult Ok = new(true, null);
    public static RouteApplyResult Failed(string error) => new(false, error);
}
