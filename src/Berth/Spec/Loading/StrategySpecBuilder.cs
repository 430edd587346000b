namespace Berth.Spec.Loading;

/// <summary>
/// Builds <see cref="StrategySpec"/> from <c>x-berth.strategy</c>, <c>x-berth.canary</c> and <c>x-berth.blue_green</c>.
/// A section is read and checked even when it belongs to another strategy, so every mistake is reported at once.
/// </summary>
internal static class StrategySpecBuilder
{
    private static readonly string[] Kinds = [StrategySpec.RollingKind, StrategySpec.BlueGreenKind, StrategySpec.CanaryKind];

    /// <param name="berth">The service's <c>x-berth</c> mapping.</param>
    /// <param name="ports">The service's ports, which a preview port must not reuse.</param>
    public static StrategySpec Build(MappingNode berth, string path, NodeReader r, IReadOnlyList<PortSpec> ports)
    {
        string At(string key) => KeyPath.Join(path, key);
        var kind = berth.Get("strategy") is { } strategyNode ? Kind(strategyNode, At("strategy"), r) : StrategySpec.RollingKind;
        var canaryNode = Section(berth, "canary");
        var blueGreenNode = Section(berth, "blue_green");
        var canary = canaryNode is null ? new CanarySpec() : CanarySpecBuilder.Build(canaryNode, At("canary"), r, ports);
        var blueGreen = blueGreenNode is null ? new BlueGreenSpec() : BlueGreenSpecBuilder.Build(blueGreenNode, At("blue_green"), r, ports);
        if (kind is null)
        {
            return new StrategySpec();
        }

        BelongsTo(berth, "canary", StrategySpec.CanaryKind, kind, path, r);
        BelongsTo(berth, "blue_green", StrategySpec.BlueGreenKind, kind, path, r);
        if (kind == StrategySpec.CanaryKind && canary is not null && NoSteps(canaryNode))
        {
            var at = (canaryNode as MappingNode)?.Get("steps") ?? canaryNode ?? berth.Get("strategy")!;
            r.Diagnostics.Error(at, KeyPath.Join(At("canary"), "steps"), $"at least one step is needed, e.g. {CanarySpecBuilder.StepExample}");
        }

        return new StrategySpec
        {
            Kind = kind,
            Canary = kind == StrategySpec.CanaryKind ? canary : null,
            BlueGreen = kind == StrategySpec.BlueGreenKind ? blueGreen : null,
        };
    }

    /// <summary>A port of its own for the preview front door: 1–65535 and not one the service already publishes.</summary>
    public static int? PreviewPort(ComposeNode node, string path, NodeReader r, IReadOnlyList<PortSpec> ports)
    {
        if (r.Int(node, path, min: 1, max: 65535) is not { } port)
        {
            return null;
        }

        var index = ports.ToList().FindIndex(p => p.Published == port);
        if (index >= 0)
        {
            var published = ports.Select(p => p.Published).OfType<int>().ToHashSet();
            var free = Enumerable.Range(port + 1, 65535 - port).FirstOrDefault(p => !published.Contains(p));
            var suggestion = free == 0 ? "" : $", e.g. {free}";
            r.Diagnostics.Error(node, path, $"{port} is already published by this service (ports[{index}]); the preview needs a port of its own{suggestion}");
            return null;
        }

        return port;
    }

    private static string? Kind(ComposeNode node, string path, NodeReader r)
    {
        var text = r.String(node, path);
        if (text is not null && Kinds.Contains(text, StringComparer.Ordinal))
        {
            return text;
        }

        if (text is not null || node is ScalarNode)
        {
            var suggestion = text is null ? null : NearestName.Find(text, Kinds);
            var hint = suggestion is null ? "" : $"; did you mean `{suggestion}`?";
            r.Diagnostics.Error(node, path, $"must be one of: {string.Join(", ", Kinds)} (got {NodeReader.Describe(node)}){hint}");
        }

        return null;
    }

    /// <summary>A canary or blue_green section written for a service whose strategy is another one.</summary>
    private static void BelongsTo(MappingNode berth, string section, string sectionKind, string kind, string path, NodeReader r)
    {
        if (kind == sectionKind || berth.KeyNode(section) is not { } key)
        {
            return;
        }

        var current = berth.Get("strategy") is null ? $"{kind} (the default)" : kind;
        r.Diagnostics.Error(
            key,
            KeyPath.Join(path, section),
            $"belongs to strategy {sectionKind}, but this service's strategy is {current}; set `strategy: {sectionKind}` or remove the {section} section");
    }

    /// <summary>A section, or null when absent or written empty (<c>blue_green:</c> alone means "the defaults").</summary>
    private static ComposeNode? Section(MappingNode berth, string key) => berth.Get(key) is ScalarNode { Value: null } ? null : berth.Get(key);

    private static bool NoSteps(ComposeNode? canaryNode) => (canaryNode as MappingNode)?.Get("steps") switch
    {
        null => true,
        ScalarNode { Value: null } => true,
        SequenceNode { Items.Count: 0 } => true,
        _ => false,
    };
}
