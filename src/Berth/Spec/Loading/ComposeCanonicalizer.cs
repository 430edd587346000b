namespace Berth.Spec.Loading;

/// <summary>
/// Rewrites short forms that merge by key into their mapping form before files are merged, as docker compose does:
/// <c>environment</c>, <c>labels</c>, <c>deploy.labels</c>, <c>build.args</c>, <c>x-berth.process.environment</c>
/// lists of <c>KEY=VAL</c> become maps; a <c>depends_on</c> list becomes a map; <c>build: dir</c> becomes
/// <c>{context: dir}</c>. Shapes it does not understand are left alone for the builders to report.
/// </summary>
internal static class ComposeCanonicalizer
{
    public static MappingNode Canonicalize(MappingNode root)
    {
        if (root.Get("services") is not MappingNode services)
        {
            return root;
        }

        var newServices = Rebuild(services, (_, service) => service is MappingNode m ? CanonicalizeService(m) : service);
        return Rebuild(root, (key, value) => key == "services" ? newServices : value);
    }

    private static MappingNode CanonicalizeService(MappingNode service) => Rebuild(service, (key, value) => key switch
    {
        "environment" => ListToMap(value, bareValue: null),
        "labels" => ListToMap(value, bareValue: ""),
        "depends_on" => DependsOnToMap(value),
        "build" when value is ScalarNode { Value: not null } s => new MappingNode(s.Mark, s.Tag, [new(new ScalarNode(s.Mark, null, "context", true), s)]),
        "build" when value is MappingNode m => Rebuild(m, (k, v) => k == "args" ? ListToMap(v, bareValue: null) : v),
        "deploy" when value is MappingNode m => Rebuild(m, (k, v) => k == "labels" ? ListToMap(v, bareValue: "") : v),
        "x-berth" when value is MappingNode m => Rebuild(m, (k, v) => k == "process" && v is MappingNode p
            ? Rebuild(p, (pk, pv) => pk == "environment" ? ListToMap(pv, bareValue: null) : pv)
            : v),
        _ => value,
    });

    private static MappingNode Rebuild(MappingNode mapping, Func<string, ComposeNode, ComposeNode> map) =>
        new(mapping.Mark, mapping.Tag, mapping.Entries.Select(e => new KeyValuePair<ScalarNode, ComposeNode>(e.Key, map(e.Key.Value!, e.Value))).ToList());

    /// <summary>["A=1", "B"] → {A: "1", B: bareValue}.</summary>
    public static ComposeNode ListToMap(ComposeNode node, string? bareValue)
    {
        if (node is not SequenceNode list || list.Items.Any(i => i is not ScalarNode { Value: not null }))
        {
            return node;
        }

        var entries = new List<KeyValuePair<ScalarNode, ComposeNode>>();
        foreach (ScalarNode item in list.Items)
        {
            var text = item.Value!;
            var eq = text.IndexOf('=', StringComparison.Ordinal);
            var key = eq < 0 ? text : text[..eq];
            var value = eq < 0 ? bareValue : text[(eq + 1)..];
            entries.RemoveAll(e => e.Key.Value == key);
            entries.Add(new(new ScalarNode(item.Mark, null, key, false), new ScalarNode(item.Mark, null, value, false)));
        }

        return new MappingNode(list.Mark, list.Tag, entries);
    }

    private static ComposeNode DependsOnToMap(ComposeNode node)
    {
        if (node is not SequenceNode list || list.Items.Any(i => i is not ScalarNode { Value: not null }))
        {
            return node;
        }

        var entries = list.Items.Cast<ScalarNode>()
            .Select(item => new KeyValuePair<ScalarNode, ComposeNode>(item, new MappingNode(item.Mark, null, [])))
            .ToList();
        return new MappingNode(list.Mark, list.Tag, entries);
    }
}
