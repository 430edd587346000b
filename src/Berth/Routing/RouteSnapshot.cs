namespace Berth.Routing;

/// <summary>
/// The route a front door serves right now. Replaced whole (one reference swap) so a request sees either the old
/// or the new split, never half of each.
/// </summary>
internal sealed class RouteSnapshot
{
    private ServiceRoute _route;

    public RouteSnapshot(ServiceRoute route) => _route = route;

    public ServiceRoute Route => Volatile.Read(ref _route);

    public void Replace(ServiceRoute route) => Volatile.Write(ref _route, route);

    public static string StableClusterId(string service) => $"{service}/stable";

    public static string CandidateClusterId(string service) => $"{service}/candidate";
}
