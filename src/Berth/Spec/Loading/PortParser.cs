using System.Globalization;

namespace Berth.Spec.Loading;

/// <summary>
/// Reads <c>ports</c> entries: short syntax ("80", "8080:80", "127.0.0.1:8080:80", "8080:80/udp", ranges such as
/// "3000-3005:3000-3005" and "8000-8005", expanded to one port each as compose does) and long syntax.
/// </summary>
internal static class PortParser
{
    private const string ValidForms = "use \"80\", \"8080:80\", \"127.0.0.1:8080:80\", \"8080:80/udp\" or a range such as \"8000-8005:8000-8005\"";

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
            if (item is MappingNode m)
            {
                if (ReadLong(m, itemPath, reader) is { } port)
                {
                    ports.Add(port);
                }
            }
            else if (ReadShort(item, itemPath, reader) is { } expanded)
            {
                ports.AddRange(expanded);
            }
        }

        return ports;
    }

    private static List<PortSpec>? ReadShort(ComposeNode node, string path, NodeReader reader)
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

        var target = ParseRange(parts[^1], node, path, diagnostics);
        var hasPublished = parts.Length == 2 && parts[0].Length > 0;
        var published = hasPublished ? ParseRange(parts[0], node, path, diagnostics) : null;
        if (target is null || (hasPublished && published is null))
        {
            return null;
        }

        var targets = target.Value;
        var host = string.IsNullOrEmpty(hostIp) ? null : hostIp;
        if (published is not { } p)
        {
            return Expand(targets, null, host, protocol);
        }

        if (p.Count == targets.Count)
        {
            return Expand(targets, p.Start, host, protocol);
        }

        if (targets.Count == 1)
        {
            // Docker picks a free port of the range; the router needs one port it can listen on, so the first.
            diagnostics.Warning(node, path, $"published range {parts[0]} for one target port: Berth publishes its first port, {p.Start}");
            return Expand(targets, p.Start, host, protocol);
        }

        diagnostics.Error(node, path, p.Count == 1
            ? $"one published port ({p.Start}) cannot serve the target range {parts[^1]}: publish a range of as many ports, e.g. \"{p.Start}-{p.Start + targets.Count - 1}:{parts[^1]}\""
            : $"the published range {parts[0]} and the target range {parts[^1]} must hold as many ports (got {p.Count} and {targets.Count})");
        return null;
    }

    private readonly record struct PortRange(int Start, int Count);

    private static List<PortSpec> Expand(PortRange targets, int? firstPublished, string? hostIp, string protocol) =>
        Enumerable.Range(0, targets.Count)
            .Select(i => new PortSpec { Target = targets.Start + i, Published = firstPublished + i, HostIp = hostIp, Protocol = protocol })
            .ToList();

    /// <summary>"80" or "8000-8005"; null after reporting when it is neither, out of 1..65535, backwards or too long.</summary>
    private static PortRange? ParseRange(string text, ComposeNode node, string path, DiagnosticBag diagnostics)
    {
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0)
        {
            return ParsePort(text, node, path, diagnostics) is { } single ? new PortRange(single, 1) : null;
        }

        var start = ParsePort(text[..dash], node, path, diagnostics);
        var end = start is null ? null : ParsePort(text[(dash + 1)..], node, path, diagnostics);
        if (start is null || end is null)
        {
            return null;
        }

        if (end < start)
        {
            diagnostics.Error(node, path, $"invalid port range \"{text}\": it ends before it starts");
            return null;
        }

        var count = end.Value - start.Value + 1;
        if (count > LoadLimits.MaxPortRange)
        {
            diagnostics.Error(node, path, $"port range \"{text}\" holds {count} ports; Berth publishes at most {LoadLimits.MaxPortRange} ports per entry (each is a front door of its router)");
            return null;
        }

        return new PortRange(start.Value, count);
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
                // A published range for the one target of the long syntax: docker picks a free port of it.
                if (ParseRange(publishedNode.Value.Trim(), publishedNode, publishedPath, reader.Diagnostics) is { } range)
                {
                    published = range.Start;
                    if (range.Count > 1)
                    {
                        reader.Diagnostics.Warning(publishedNode, publishedPath, $"published range {publishedNode.Value.Trim()} for one target port: Berth publishes its first port, {range.Start}");
                    }
                }
                else
                {
                    ok = false;
                }
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
        var appProtocol = m.Get("app_protocol") is { } a ? AppProtocol(a, KeyPath.Join(path, "app_protocol"), reader) : null;
        if (!ok || protocol is null || mode is null)
        {
            return null;
        }

        return new PortSpec { Target = target!.Value, Published = published, HostIp = hostIp, Protocol = protocol, Mode = mode, Name = name, AppProtocol = appProtocol };
    }

    /// <summary>Compose allows any value; one the router does not know is kept, with a warning saying how it is routed.</summary>
    private static string? AppProtocol(ComposeNode node, string path, NodeReader reader)
    {
        var value = reader.String(node, path);
        if (!AppProtocols.IsKnown(value))
        {
            reader.Diagnostics.Warning(node, path, $"app_protocol \"{value}\" is not known to Berth's router: the port is routed as HTTP; use {AppProtocols.Tcp} to balance connections (any protocol over TCP) or {AppProtocols.Http}");
        }

        return value;
    }
}
