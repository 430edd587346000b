namespace Berth.Spec.Loading;

/// <summary>
/// Merges compose files like docker compose: mappings merge recursively; scalars, <c>command</c>, <c>entrypoint</c>,
/// <c>healthcheck.test</c> and Berth's canary steps and analysis metrics are replaced; other lists are appended (equal scalar items once); service
/// <c>secrets</c> merge by source; <c>!reset</c> removes a value and <c>!override</c> replaces it whole.
/// Nodes keep their source mark, so diagnostics point at the file a value came from.
/// </summary>
internal static class ComposeMerger
{
    private const string ResetTag = "!reset";
    private const string OverrideTag = "!override";

    // A rollout plan or a set of thresholds is one whole: appending an override's steps to the base's would
    // make a plan nobody wrote (and usually one whose weights go down).
    private static readonly HashSet<string> ReplacedInService =
    [
        "command", "entrypoint", "healthcheck.test", "x-berth.process.command", "x-berth.canary.steps",
        "x-berth.canary.analysis.metrics", "x-berth.blue_green.pre_promotion.analysis.metrics",
        "x-berth.blue_green.post_promotion.analysis.metrics",
    ];

    public static MappingNode Merge(IReadOnlyList<MappingNode> files)
    {
        var result = files[0];
        for (var i = 1; i < files.Count; i++)
        {
            result = MergeMappings(result, files[i], []);
        }

        return (MappingNode)DropResets(result);
    }

    private static MappingNode MergeMappings(MappingNode baseMap, MappingNode over, List<string> path)
    {
        var entries = baseMap.Entries.ToList();
        foreach (var (key, value) in over.Entries)
        {
            var index = entries.FindIndex(e => e.Key.Value == key.Value);
            if (value.Tag == ResetTag)
            {
                if (index >= 0)
                {
                    entries.RemoveAt(index);
                }

                continue;
            }

            if (index < 0)
            {
                entries.Add(new(key, value));
                continue;
            }

            path.Add(key.Value!);
            var merged = value.Tag == OverrideTag ? value : MergeValues(entries[index].Value, value, path);
            path.RemoveAt(path.Count - 1);
            entries[index] = new(entries[index].Key, merged);
        }

        return new MappingNode(baseMap.Mark, over.Tag ?? baseMap.Tag, entries);
    }

    private static ComposeNode MergeValues(ComposeNode baseValue, ComposeNode over, List<string> path)
    {
        var inService = path.Count >= 3 && path[0] == "services" ? string.Join('.', path.Skip(2)) : null;
        if (inService is not null && ReplacedInService.Contains(inService))
        {
            return over;
        }

        return (baseValue, over) switch
        {
            (MappingNode b, MappingNode o) => MergeMappings(b, o, path),
            (SequenceNode b, SequenceNode o) when inService == "secrets" => MergeByKey(b, o, SecretSource),
            (SequenceNode b, SequenceNode o) => Append(b, o),
            _ => over,
        };
    }

    private static SequenceNode Append(SequenceNode baseList, SequenceNode over)
    {
        var items = baseList.Items.ToList();
        foreach (var item in over.Items)
        {
            if (item is ScalarNode s && items.Any(i => i is ScalarNode existing && existing.Value == s.Value))
            {
                continue;
            }

            items.Add(item);
        }

        return new SequenceNode(baseList.Mark, baseList.Tag, items);
    }

    private static SequenceNode MergeByKey(SequenceNode baseList, SequenceNode over, Func<ComposeNode, string?> keyOf)
    {
        var items = baseList.Items.ToList();
        foreach (var item in over.Items)
        {
            var key = keyOf(item);
            var index = key is null ? -1 : items.FindIndex(i => keyOf(i) == key);
            if (index >= 0)
            {
                items[index] = item;
            }
            else
            {
                items.Add(item);
            }
        }

        return new SequenceNode(baseList.Mark, baseList.Tag, items);
    }

    private static string? SecretSource(ComposeNode item) => item switch
    {
        ScalarNode s => s.Value,
        MappingNode m => (m.Get("source") as ScalarNode)?.Value,
        _ => null,
    };

    /// <summary>A <c>!reset</c> left in the result (e.g. in the first file) means "not set".</summary>
    private static ComposeNode DropResets(ComposeNode node) => node switch
    {
        MappingNode m when m.Entries.Any(e => e.Value.Tag == ResetTag || e.Value is MappingNode) => new MappingNode(
            m.Mark,
            m.Tag,
            m.Entries.Where(e => e.Value.Tag != ResetTag).Select(e => new KeyValuePair<ScalarNode, ComposeNode>(e.Key, DropResets(e.Value))).ToList()),
        _ => node,
    };
}
