using System.ComponentModel.DataAnnotations;

namespace Berth.Routing.Follower;

/// <summary>Settings of a router process (`berth router`): which control plane it follows, as whom, and where it keeps its state.</summary>
public sealed class RouteFollowerOptions
{
    /// <summary>The control plane's address, e.g. http://127.0.0.1:7070/.</summary>
    [Required]
    public Uri ControlPlane { get; set; } = new("http://127.0.0.1:7070/");

    /// <summary>This router's id (unique per control plane), e.g. the node's name.</summary>
    [Required]
    public string RouterId { get; set; } = Environment.MachineName;

    /// <summary>The node it runs on, as `berth router ls` shows it.</summary>
    public string Node { get; set; } = Environment.MachineName;

    /// <summary>File holding its token (role router).</summary>
    [Required]
    public string TokenFile { get; set; } = "router.token";

    /// <summary>PEM of the CA that signed the control plane's certificate, when it serves TLS with a private CA.</summary>
    public string? TlsCaFile { get; set; }

    /// <summary>Folder of its state: the last routes applied (served at start before the control plane answers).</summary>
    [Required]
    public string StateDirectory { get; set; } = ".";

    /// <summary>How often it reports its metrics (also its heartbeat). Default 1 s.</summary>
    public TimeSpan ReportInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often its Prometheus text goes with a report. Default 5 s.</summary>
    public TimeSpan PrometheusInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest wait between two attempts to reach the control plane. Default 5 s.</summary>
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(5);
}
