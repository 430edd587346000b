namespace Berth.Spec;

/// <summary>A published port, long syntax (the short syntax "8080:80/tcp" is normalized into this).</summary>
public sealed record PortSpec
{
    /// <summary>Port inside the replica (container port).</summary>
    public required int Target { get; init; }

    /// <summary>Port published on the host, or null for "any free port".</summary>
    public int? Published { get; init; }
    public string? HostIp { get; init; }

    /// <summary>tcp or udp.</summary>
    public string Protocol { get; init; } = "tcp";

    /// <summary>ingress (default) or host.</summary>
    public string Mode { get; init; } = "ingress";
    public string? Name { get; init; }

    /// <summary>
    /// Compose's <c>app_protocol</c> as written, or null: <c>tcp</c> makes the router balance connections instead of
    /// HTTP requests; anything else (or nothing) is routed as HTTP.
    /// </summary>
    public string? AppProtocol { get; init; }
}
