namespace Berth.Server.Routers;

/// <summary>The routers of the Swarm runtime as one global Swarm service (`berth server --routers global`).</summary>
public sealed class SwarmRouterOptions
{
    /// <summary>The router image every node runs; it must be on every node (scripts/router-image.sh). Default berth-router:10.</summary>
    public string Image { get; set; } = DefaultImage;

    /// <summary>How often the service is checked against what it should run. Default 5 s.</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(5);

    public const string DefaultImage = "berth-router:10";
}
