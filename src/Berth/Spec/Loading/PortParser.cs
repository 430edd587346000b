using System.Globalization;

namespace Berth.Spec.Loading;

/// <summary>Reads <c>ports</c> entries: short syntax ("80", "8080:80", "127.0.0.1:8080:80", "8080:80/udp") and long syntax.</summary>
internal static class PortParser
{
    private const string ValidForms = "use \"80\", \"8080:80\", \"127.0.0.1:8080:80\" or \"8080:80/udp\"";

    public static List<PortSpec> ReadAll(ComposeNode node, string path, NodeReader reader)
    {
        var ports = new List<PortSpec>();
        if (node is not SequenceNode list)
        {
            reader.Diagnostics.Error(node, path, $"must be a list of ports (got {NodeReader.Describe(node)})");
            return ports;
        }

        for (var i = 0; i < list.Items.Count; i++)
        {
            var item = list.Items[i];
            var itemPath = KeyPath.Index(path, i);
            var port = item is MappingNode m ? ReadLong(m, itemPath, reader) : ReadShort(item, itemPath, reader);
            if (port is not null)
            {
                ports.Add(port);
            }
        }

        return ports;
    }

    private static PortSpec? ReadShort(ComposeNode node, string path, NodeReader reader)
    {
        var text = reader.String(node, path);
        if (text is null)
        {
            return null;
        }

        var diagnostics = reader.Diagnostics;
        var protocol = "tcp";
        var slash = text.LastIndexOf('/');
        if (slash >= 0)
        {
            protocol = text[(slash + 1)..];
            text = text[..slash];
            if (protocol is not ("tcp" or "udp"))
            {
                diagnostics.Error(node, path, $"protocol must be one of: tcp, udp (got \"{protocol}\")");
                return null;
            }
        }

        string? hostIp = null;
        string rest = text;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf("]:", StringComparison.Ordinal);
            if (close < 0)
            {
                diagnostics.Error(node, path, $"invalid port \"{text}\": {ValidForms}");
                return null;
            }

            hostIp = text[1..close];
            rest = text[(close + 2)..];
        }

        var parts = rest.Split(':');
        if (hostIp is null && parts.Length == 3)
        {
            hostIp = parts[0];
            parts = parts[1..];
        }

        if (parts.Length > 2 || (hostIp is not null && parts.Length != 2))
        {
            diagnostics.Error(node, path, $"invalid port \"{text}\": {ValidForms}");
            return null;
        }

        if (parts.Any(p => p.Contains('-', StringComparison.Ordinal)))
        {
            diagnostics.Error(node, path, $"port ranges are not supported by Berth yet (got \"{text}\"); {ValidForms}");
            return null;
        }

        var target = ParsePort(parts[^1], node, path, diagnostics);
        int? published = parts.Length == 2 && parts[0].Length > 0 ? ParsePort(parts[0], node, path, diagnostics) : null;
        if (target is null || (parts.Length == 2 && parts[0].Length > 0 && published is null))
        {
            return null;
        }

        return new PortSpec
        {
            Target = target.Value,
            Published = published,
            HostIp = string.IsNullOrEmpty(hostIp) ? null : hostIp,
            Protocol = protocol,
        };
    }

    private static int? ParsePort(string text, ComposeNode node, string path, DiagnosticBag diagnostics)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port))
        {
            diagnostics.Error(node, path, $"\"{text}\" is not a port number: {ValidForms}");
            return null;
        }

        if (port is < 1 or > 65535)
        {
            diagnostics.Error(node, path, $"port must be between 1 and 65535 (got {port})");
            return null;
        }

        return port;
    }

    private static PortSpec? ReadLong(MappingNode m, string path, NodeReader reader)
    {
        KeyChecker.Check(m, path, KnownKeys.Port, reader.Diagnostics);
        var ok = true;
        int? target = null;
        if (m.Get("target") is { } targetNode)
        {
            target = reader.Int(targetNode, KeyPath.Join(path, "target"), 1, 65535);
            ok &= target is not null;
        }
        else
        {
            reader.Diagnostics.Error(m, path, "target is required in the long port syntax (the port inside the replica, 1..65535)");
            ok = false;
        }

        int? published = null;
        if (m.Get("published") is ScalarNode { Value: not null } publishedNode)
        {
            var publishedPath = KeyPath.Join(path, "published");
            if (publishedNode.Value.Contains('-', StringComparison.Ordinal))
            {
                reader.Diagnostics.Error(publishedNode, publishedPath, $"port ranges are not supported by Berth yet (got \"{publishedNode.Value}\"); use a single port number");
                ok = false;
            }
            else
            {
                published = reader.Int(publishedNode, publishedPath, 1, 65535);
                ok &= published is not null;
            }
        }
        else if (m.Get("published") is MappingNode or SequenceNode)
        {
            reader.Diagnostics.Error(m.Get("published")!, KeyPath.Join(path, "published"), "must be a port number");
            ok = false;
        }

        var protocol = m.Get("protocol") is { } p ? reader.OneOf(p, KeyPath.Join(path, "protocol"), "tcp", "udp") : "tcp";
        var mode = m.Get("mode") is { } md ? reader.OneOf(md, KeyPath.Join(path, "mode"), "ingress", "host") : "ingress";
        var hostIp = m.Get("host_ip") is { } h ? reader.String(h, KeyPath.Join(path, "host_ip")) : null;
        var name = m.Get("name") is { } n ? reader.String(n, KeyPath.Join(path, "name")) : null;
        if (!ok || protocol is null || mode is null)
        {
            return null;
        }

        return new PortSpec { Target = target!.Value, Published = published, HostIp = hostIp, Protocol = protocol, Mode = mode, Name = name };
    }
}
