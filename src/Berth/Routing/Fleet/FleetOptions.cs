namespace Berth.Routing.Fleet;

/// <summary>How the control plane waits for its routers.</summary>
public sealed class FleetOptions
{
    /// <summary>A router not heard from for this long is stale: left out of acknowledgement counts (an event says so). Default 10 s.</summary>
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a route change waits for every live router's acknowledgement (beyond the route's drain timeout). Default 10 s.</summary>
    public TimeSpan AckTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a route change waits for a first router when none is connected. Default 15 s.</summary>
    public TimeSpan NoRouterGrace { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The control plane's own Berth version, which routers are compared with. Default: this assembly's.</summary>
    public string ServerVersion { get; set; } = typeof(FleetOptions).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
}
