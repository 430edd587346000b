using YamlDotNet.RepresentationModel;

namespace Berth.Spec.Loading;

/// <summary>
/// Converts YamlDotNet nodes into <see cref="ComposeNode"/>s: resolves <c>&lt;&lt;</c> merge keys and shares aliased
/// nodes, while counting the size the document would have with every alias expanded (billion-laughs guard).
/// </summary>
internal sealed class YamlNodeConverter(string displayName, DiagnosticBag diagnostics)
{
    private readonly Dictionary<YamlNode, Converted> _done = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<YamlNode> _inProgress = new(ReferenceEqualityComparer.Instance);

    private readonly record struct Converted(ComposeNode Node, long Size, int Depth);

    private sealed class LimitExceededException(SourceMark mark, string message) : Exception(message)
    {
        public SourceMark Mark { get; } = mark;
    }

    public ComposeNode? Convert(YamlNode root)
    {
        try
        {
            return Visit(root).Node;
        }
        catch (LimitExceededException ex)
        {
            diagnostics.Error(ex.Mark, "", ex.Message);
            return null;
        }
    }

    private SourceMark MarkOf(YamlNode node) => new(displayName, (int)node.Start.Line, (int)node.Start.Column);

    private static string? TagOf(YamlNode node) => node.Tag.IsEmpty ? null : node.Tag.Value;

    private Converted Visit(YamlNode node)
    {
        if (_done.TryGetValue(node, out var done))
        {
            return done;
        }

        if (!_inProgress.Add(node))
        {
            throw new LimitExceededException(MarkOf(node), "an alias refers to the node that contains it (recursive alias)");
        }

        var converted = node switch
        {
            YamlScalarNode scalar => ConvertScalar(scalar),
            YamlSequenceNode sequence => ConvertSequence(sequence),
            YamlMappingNode mapping => ConvertMapping(mapping),
            _ => throw new LimitExceededException(MarkOf(node), "unsupported YAML node"),
        };

        _inProgress.Remove(node);
        if (converted.Size > LoadLimits.MaxExpandedNodes)
        {
            throw new LimitExceededException(MarkOf(node), $"too many nodes after alias expansion (billion-laughs?): more than {LoadLimits.MaxExpandedNodes}");
        }

        if (converted.Depth > LoadLimits.MaxDepth)
        {
            throw new LimitExceededException(MarkOf(node), $"nesting is deeper than {LoadLimits.MaxDepth} levels after alias expansion");
        }

        _done[node] = converted;
        return converted;
    }

    private Converted ConvertScalar(YamlScalarNode scalar)
    {
        var tag = TagOf(scalar);
        var plain = scalar.Style is YamlDotNet.Core.ScalarStyle.Plain or YamlDotNet.Core.ScalarStyle.Any && tag is null or "!reset" or "!override";
        var raw = scalar.Value ?? "";
        string? value = tag == "tag:yaml.org,2002:null" || ScalarNode.IsNullLiteral(raw, plain) ? null : raw;
        return new Converted(new ScalarNode(MarkOf(scalar), tag, value, plain), 1, 0);
    }

    private Converted ConvertSequence(YamlSequenceNode sequence)
    {
        var items = new List<ComposeNode>(sequence.Children.Count);
        long size = 1;
        var depth = 0;
        foreach (var child in sequence.Children)
        {
            var c = Visit(child);
            items.Add(c.Node);
            size = Add(size, c.Size, sequence);
            depth = Math.Max(depth, c.Depth);
        }

        return new Converted(new SequenceNode(MarkOf(sequence), TagOf(sequence), items), size, depth + 1);
    }

    private Converted ConvertMapping(YamlMappingNode mapping)
    {
        var entries = new List<KeyValuePair<ScalarNode, ComposeNode>>(mapping.Children.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var merged = new List<Converted>();
        long size = 1;
        var depth = 0;

        foreach (var (key, value) in mapping.Children)
        {
            if (key is not YamlScalarNode keyScalar)
            {
                diagnostics.Error(MarkOf(key), "", "mapping keys must be scalars");
                continue;
            }

            var keyText = keyScalar.Value ?? "";
            if (keyText == "<<" && keyScalar.Style is YamlDotNet.Core.ScalarStyle.Plain or YamlDotNet.Core.ScalarStyle.Any)
            {
                CollectMergeSources(value, merged);
                continue;
            }

            var c = Visit(value);
            if (!seen.Add(keyText))
            {
                diagnostics.Error(MarkOf(key), "", $"duplicate key {keyText}");
                continue;
            }

            var keyNode = (ScalarNode)Visit(keyScalar).Node;
            entries.Add(new(keyNode.Value is null ? new ScalarNode(keyNode.Mark, null, keyText, true) : keyNode, c.Node));
            size = Add(size, c.Size + 1, mapping);
            depth = Math.Max(depth, c.Depth);
        }

        // YAML merge keys: keys written in the mapping win; among merged maps the first listed wins.
        foreach (var source in merged)
        {
            foreach (var (k, v) in ((MappingNode)source.Node).Entries)
            {
                if (seen.Add(k.Value!))
                {
                    entries.Add(new(k, v));
                }
            }

            size = Add(size, source.Size, mapping);
            depth = Math.Max(depth, source.Depth - 1);
        }

        return new Converted(new MappingNode(MarkOf(mapping), TagOf(mapping), entries), size, depth + 1);
    }

    private void CollectMergeSources(YamlNode value, List<Converted> merged)
    {
        var sources = value is YamlSequenceNode list ? list.Children : [value];
        foreach (var source in sources)
        {
            var c = Visit(source);
            if (c.Node is MappingNode)
            {
                merged.Add(c);
            }
            else
            {
                diagnostics.Error(c.Node, "", $"a << merge key takes a mapping or a list of mappings (got {c.Node.KindName})");
            }
        }
    }

    private long Add(long size, long more, YamlNode at)
    {
        var total = size + more;
        if (total > LoadLimits.MaxExpandedNodes)
        {
            throw new LimitExceededException(MarkOf(at), $"too many nodes after alias expansion (billion-laughs?): more than {LoadLimits.MaxExpandedNodes}");
        }

        return total;
    }
}
