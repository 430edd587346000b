namespace Berth.Store;

/// <summary>
/// A deploy target an admin added: a Docker Swarm manager's Engine API (<c>berth target add NAME --docker-host URL</c>,
/// with, for mutual TLS, the PEM texts of its CA and of the client certificate and key Berth presents), or processes on
/// the server's machine (<c>--process</c>, for a server whose own runtime is Swarm).
/// </summary>
public sealed record TargetRecord(string Name, string Kind, string? Endpoint, TargetTls? Tls, DateTimeOffset CreatedAt, string? CreatedBy);

/// <summary>The PEM texts of a target's mutual TLS: the engine's CA, and the client certificate and its key.</summary>
public sealed record TargetTls(string Ca, string Certificate, string Key);

/// <summary>The kinds of targets an admin adds.</summary>
public static class TargetKinds
{
    /// <summary>A Docker Swarm manager, run by the Swarm runtime.</summary>
    public const string Docker = "docker";

    /// <summary>Processes on the server's machine, run by the process runtime in a folder of their own.</summary>
    public const string Process = "process";
}
