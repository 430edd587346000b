using System.ComponentModel.DataAnnotations;
using Berth.DockerApi;

namespace Berth.Runtimes.Swarm;

/// <summary>Settings of the Docker Swarm runtime: which engine to talk to and how often its tasks are looked at.</summary>
public sealed class SwarmRuntimeOptions
{
    /// <summary>Docker Engine API endpoint. Default: <c>DOCKER_HOST</c>, else <c>unix:///var/run/docker.sock</c>.</summary>
    [Required]
    public string Endpoint { get; set; } = DefaultEndpoint();

    /// <summary>
    /// Speak mutual TLS to a <c>tcp://</c> endpoint: present cert.pem/key.pem and accept only a server certificate signed by
    /// ca.pem, all from <see cref="CertPath"/>. Default: <c>DOCKER_TLS_VERIFY</c> set (to anything but empty or 0).
    /// </summary>
    public bool TlsVerify { get; set; } = DockerConnectionSettings.TlsVerifyFrom(Environment.GetEnvironmentVariable("DOCKER_TLS_VERIFY"));

    /// <summary>Folder with ca.pem, cert.pem and key.pem. Default: <c>DOCKER_CERT_PATH</c>, else <c>~/.docker</c>.</summary>
    public string CertPath { get; set; } = DockerConnectionSettings.DefaultCertPath(Environment.GetEnvironmentVariable("DOCKER_CERT_PATH"));

    /// <summary>
    /// How often a replica whose task is not running yet (or may have ended) is looked at again, no event being sure to
    /// come for it; and how often everything is looked at while the Engine API's event stream is down. Default: 500 ms.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// How often every replica is looked at while events drive the watcher: the safety net for what no event
    /// announces. Default: 5 s.
    /// </summary>
    public TimeSpan ResyncInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often a running task whose port (or x-berth.health.http_path) has not answered yet is probed again. Default: 100 ms.</summary>
    public TimeSpan StartupProbeInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Timeout of one readiness probe (TCP connect, or HTTP GET on x-berth.health.http_path). Default: 2 s.</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Extra wait, beyond a replica's stop grace period, for its Swarm tasks to disappear on stop. Default: 5 s.</summary>
    public TimeSpan StopSlack { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a task Swarm cannot place ("no suitable node": placement constraints or resources no node satisfies) may
    /// stay pending before its replica counts as failed to start. Swarm may be mid-scheduling (a node joining, a label
    /// being added), so not at once; keep it below update_config.monitor (or the healthcheck's start_period), or the
    /// rollout gives up first with a plain "not ready". Default: 3 s.
    /// </summary>
    public TimeSpan UnschedulableGrace { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Address used for tasks on the node the server runs on. Default: <c>127.0.0.1</c>.</summary>
    [Required]
    public string LocalAddress { get; set; } = "127.0.0.1";

    /// <summary>
    /// Reach the tasks of the node the server runs on at that node's address, as every other node's, not at
    /// <see cref="LocalAddress"/>: needed when routers on other nodes route to them (berth server --routers global).
    /// Default false.
    /// </summary>
    public bool LocalTasksAtNodeAddress { get; set; }

    /// <summary>How to reach the engine: <see cref="Endpoint"/>, <see cref="TlsVerify"/>, <see cref="CertPath"/>.</summary>
    /// <exception cref="DockerConnectionException">The endpoint is not one Berth can reach.</exception>
    /// <summary>
    /// Labels every service this driver creates with <see cref="SwarmLabels.Owner"/> (berth server gives its data
    /// folder's id), so a restore finds its own leftovers on a Swarm other servers may share.
    /// </summary>
    public string? Owner { get; set; }

    public DockerConnectionSettings ConnectionSettings() => DockerConnectionSettings.Create(Endpoint, TlsVerify, CertPath);

    /// <summary><c>DOCKER_HOST</c> when set, else the local socket.</summary>
    public static string DefaultEndpoint() =>
        Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } host ? host : DockerConnectionSettings.LocalSocket;
}
