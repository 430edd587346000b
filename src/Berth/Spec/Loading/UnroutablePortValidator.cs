namespace Berth.Spec.Loading;

/// <summary>
/// The deploy's check of ports Berth's router cannot serve (UDP), located at the key that asks for one: the port's
/// <c>protocol</c> in the long syntax, the entry itself in the short one ("5353:53/udp"). <c>berth config</c> does not
/// run it: the file is valid Compose.
/// </summary>
internal static class UnroutablePortValidator
{
    public static void Validate(MappingNode root, DiagnosticBag diagnostics)
    {
        if (root.Get("services") is not MappingNode services)
        {
            return;
        }

        foreach (var (key, service) in services.Entries)
        {
            if (service is not MappingNode serviceMap || serviceMap.Get("ports") is not SequenceNode ports)
            {
                continue;
            }

            for (var i = 0; i < ports.Items.Count; i++)
            {
                var path = KeyPath.Index($"services.{key.Value}.ports", i);
                switch (ports.Items[i])
                {
                    case MappingNode port when port.Get("protocol") is ScalarNode { Value: { } protocol } protocolNode && IsUdp(protocol):
                        diagnostics.Error(protocolNode, KeyPath.Join(path, "protocol"), UnroutablePorts.UdpMessage);
                        break;
                    case ScalarNode { Value: { } text } entry when text.Trim().EndsWith("/udp", StringComparison.OrdinalIgnoreCase):
                        diagnostics.Error(entry, path, UnroutablePorts.UdpMessage);
                        break;
                }
            }
        }
    }

    private static bool IsUdp(string protocol) => string.Equals(protocol.Trim(), "udp", StringComparison.OrdinalIgnoreCase);
}
