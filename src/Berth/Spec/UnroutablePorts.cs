namespace Berth.Spec;

/// <summary>Ports a deploy refuses because Berth's router cannot serve them (UDP), and what to say about them.</summary>
public static class UnroutablePorts
{
    public const string UdpMessage =
        "UDP ports are not supported yet by Berth's router; publish the port over TCP (protocol: tcp, the default; add app_protocol: tcp for a protocol other than HTTP) or remove it";

    /// <summary>"5353/udp" for each UDP port of the service, by published port (target port when none is published).</summary>
    public static IEnumerable<string> Of(ServiceSpec service)
    {
        ArgumentNullException.ThrowIfNull(service);
        return service.Ports
            .Where(p => string.Equals(p.Protocol, "udp", StringComparison.OrdinalIgnoreCase))
            .Select(p => $"{(p.Published ?? p.Target).ToString(System.Globalization.CultureInfo.InvariantCulture)}/udp");
    }
}
