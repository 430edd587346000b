namespace Berth.Server.Routers;

/// <summary>Whether and how the server runs its own router process, on its own machine (both runtimes, for now: on Swarm its published ports are host-mode ports of this node).</summary>
public sealed class RouterSupervisorOptions
{
    /// <summary>Start (or adopt) the local router. False: routers are started by someone else (tests, Swarm). Default true.</summary>
    public bool RunLocalRouter { get; set; } = true;

    /// <summary>The local router's id. Default "local".</summary>
    public string RouterId { get; set; } = "local";

    /// <summary>Fewest seconds between two restarts of a router that keeps dying. Default 1 s, doubling to 30 s.</summary>
    public TimeSpan RestartDelay { get; set; } = TimeSpan.FromSeconds(1);
}
