using Berth.Deployments;

namespace Berth.Server;

/// <summary>Settings of `berth server`.</summary>
public sealed class BerthServerOptions
{
    /// <summary>Folder holding the SQLite store, replica logs and runtime files. Default ./.berth.</summary>
    public string DataDirectory { get; set; } = ".berth";

    /// <summary>Address:port of the API. Default 127.0.0.1:7070 (loopback only).</summary>
    public string Listen { get; set; } = "127.0.0.1:7070";

    /// <summary>process (default) or swarm.</summary>
    public string Runtime { get; set; } = "process";

    /// <summary>local (one router process beside the server, default) or global (Swarm: a router service on every node).</summary>
    public string Routers { get; set; } = "local";

    /// <summary>The image of the global routers; null: <see cref="Routers.SwarmRouterOptions.DefaultImage"/>.</summary>
    public string? RouterImage { get; set; }

    /// <summary>Most replicas one service may ask for (deploy and scale refuse more). Default 1000.</summary>
    public int MaxReplicas { get; set; } = DeploymentLimitsOptions.DefaultMaxReplicas;

    /// <summary>Docker Engine API endpoint of the swarm runtime. Default: DOCKER_HOST, else unix:///var/run/docker.sock.</summary>
    public string DockerEndpoint { get; set; } = Runtimes.Swarm.SwarmRuntimeOptions.DefaultEndpoint();

    /// <summary>PEM certificate of the API's TLS (with <see cref="TlsKey"/>); null: plain HTTP, allowed on loopback only.</summary>
    public string? TlsCertificate { get; set; }

    /// <summary>PEM private key of <see cref="TlsCertificate"/>.</summary>
    public string? TlsKey { get; set; }

    /// <summary>Allows plain HTTP on a non-loopback address (tokens then cross the network in clear; warned at every start).</summary>
    public bool Insecure { get; set; }

    /// <summary>Folders host commands must come from (<see cref="Berth.Security.HostCommandOptions"/>); empty: no restriction.</summary>
    public IList<string> ExecRoots { get; set; } = [];

    /// <summary>A backup (`berth backup FILE`) that replaces the store before the server starts.</summary>
    public string? Restore { get; set; }
}
