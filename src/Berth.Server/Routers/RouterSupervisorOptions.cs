namespace Berth.Server.Routers;

/// <summary>Whether and how the server runs its own router process (process runtime).</summary>
public sealed class RouterSupervisorOptions
{
    /// <summary>Start (or adopt) the local router. False: routers are started by someone else (tests, Swarm). Default true.</summary>
    public bool RunLocalRouter { get; set; } = true;

    /// <summary>The local router's id. Default "local".</summary>
    public string RouterId { get; set; } = "local";

    /// <summary>The control plane's address as the router reaches it (set by the server once it listens).</summary>
    public Uri? ControlPlane { get; set; }

    /// <summary>The CA file the router trusts the control plane's certificate with (the server's own, with TLS).</summary>
    public string? TlsCaFile { get; set; }

    /// <summary>Fewest seconds between two restarts of a router that keeps dying. Default 1 s, doubling to 30 s.</summary>
    public TimeSpan RestartDelay { get; set; } = TimeSpan.FromSeconds(1);
}
