namespace Berth.Spec.Loading;

/// <summary>Builds <see cref="CanarySpec"/> from <c>x-berth.canary</c>: its steps, background analysis and timings.</summary>
internal static class CanarySpecBuilder
{
    public const string StepExample = "- weight: 20";

    private static readonly string[] StepKinds =
        [CanaryStepSpec.WeightKind, CanaryStepSpec.PauseKind, CanaryStepSpec.AnalysisKind, CanaryStepSpec.ReplicasKind, CanaryStepSpec.MatchKind];

    /// <param name="ports">The service's ports, which the preview port must not reuse.</param>
    public static CanarySpec? Build(ComposeNode node, string path, NodeReader r, IReadOnlyList<PortSpec> ports)
    {
        if (r.Section(node, path, KnownKeys.BerthCanary) is not { } m)
        {
            return null;
        }

        string At(string key) => KeyPath.Join(path, key);
        var spec = new CanarySpec();
        if (m.Get("steps") is { } steps)
        {
            spec = spec with { Steps = Steps(steps, At("steps"), r) };
        }

        if (m.Get("analysis") is { } analysis)
        {
            spec = spec with { Analysis = AnalysisSpecBuilder.Build(analysis, At("analysis"), r, countNeededFor: null) };
        }

        if (m.Get("progress_deadline") is { } deadline)
        {
            spec = spec with { ProgressDeadline = AnalysisSpecBuilder.PositiveDuration(deadline, At("progress_deadline"), r) ?? spec.ProgressDeadline };
        }

        if (m.Get("scale_down_delay") is { } delay)
        {
            spec = spec with { ScaleDownDelay = r.Duration(delay, At("scale_down_delay")) ?? spec.ScaleDownDelay };
        }

        if (m.Get("preview_port") is { } preview)
        {
            spec = spec with { PreviewPort = StrategySpecBuilder.PreviewPort(preview, At("preview_port"), r, ports) };
        }

        return spec;
    }

    private static List<CanaryStepSpec> Steps(ComposeNode node, string path, NodeReader r)
    {
        var steps = new List<CanaryStepSpec>();
        if (node is ScalarNode { Value: null })
        {
            return steps;
        }

        if (node is not SequenceNode list)
        {
            r.Diagnostics.Error(node, path, $"must be a list of steps, e.g. [{{weight: 20}}, {{pause: 30s}}, {{weight: 50}}] (got {NodeReader.Describe(node)})");
            return steps;
        }

        // A canary's share only grows: a lower weight after a higher one is almost always a typo.
        (int Weight, int Index)? highest = null;
        for (var i = 0; i < list.Items.Count; i++)
        {
            var stepPath = KeyPath.Index(path, i);
            if (Step(list.Items[i], stepPath, r) is not { } step)
            {
                continue;
            }

            if (step.Weight is { } weight)
            {
                if (highest is { } h && weight < h.Weight)
                {
                    var weightNode = ((MappingNode)list.Items[i]).Get(CanaryStepSpec.WeightKind)!;
                    r.Diagnostics.Error(
                        weightNode,
                        KeyPath.Join(stepPath, CanaryStepSpec.WeightKind),
                        $"must not be lower than an earlier weight step (steps[{h.Index}] has weight {h.Weight}, got {weight}); a canary's weight only grows");
                }
                else
                {
                    highest = (weight, i);
                }
            }

            steps.Add(step);
        }

        return steps;
    }

    private static CanaryStepSpec? Step(ComposeNode node, string path, NodeReader r)
    {
        var kinds = string.Join(", ", StepKinds);
        if (node is not MappingNode)
        {
            r.Diagnostics.Error(node, path, $"a step is a mapping with one of {kinds}, e.g. {StepExample} (got {NodeReader.Describe(node)})");
            return null;
        }

        var m = r.Section(node, path, KnownKeys.BerthCanaryStep)!;
        var written = m.Entries.Where(e => StepKinds.Contains(e.Key.Value)).ToList();
        if (written.Count != 1)
        {
            // Unknown keys alone were reported by the key check; say more only when it adds something.
            if (written.Count > 1 || m.Entries.Count == 0)
            {
                var got = written.Count == 0 ? "none" : string.Join(", ", written.Select(e => e.Key.Value));
                r.Diagnostics.Error(m, path, $"a step has exactly one of {kinds} (got {got}); write each as its own step");
            }

            return null;
        }

        var (keyNode, value) = written[0];
        var kind = keyNode.Value!;
        var at = KeyPath.Join(path, kind);
        var source = $"{node.Mark.File}:{node.Mark.Line}";
        return kind switch
        {
            CanaryStepSpec.WeightKind => r.Int(value, at, min: 0, max: 100) is { } weight
                ? new CanaryStepSpec { Kind = kind, Weight = weight, Source = source }
                : null,
            CanaryStepSpec.PauseKind => Pause(value, at, r, out var pause) ? new CanaryStepSpec { Kind = kind, Pause = pause, Source = source } : null,
            CanaryStepSpec.AnalysisKind => AnalysisSpecBuilder.Build(value, at, r, countNeededFor: "before the next step") is { } analysis
                ? new CanaryStepSpec { Kind = kind, Analysis = analysis, Source = source }
                : null,
            CanaryStepSpec.ReplicasKind => r.Int(value, at, min: 0) is { } replicas
                ? new CanaryStepSpec { Kind = kind, Replicas = replicas, Source = source }
                : null,
            _ => Match(value, at, r) is { } match ? new CanaryStepSpec { Kind = kind, Match = match, Source = source } : null,
        };
    }

    /// <summary><c>pause: 30s</c>, <c>pause: {duration: 30s}</c>, or <c>pause: {}</c> (null: until `berth promote`).</summary>
    private static bool Pause(ComposeNode node, string path, NodeReader r, out TimeSpan? pause)
    {
        pause = null;
        const string Valid = "a duration like 30s, or {} to wait for `berth promote`";
        if (node is MappingNode)
        {
            var m = r.Section(node, path, KnownKeys.BerthPause)!;
            if (m.Get("duration") is not { } duration)
            {
                return m.Entries.Count == 0;
            }

            pause = r.Duration(duration, KeyPath.Join(path, "duration"));
            return pause is not null;
        }

        if (node is not ScalarNode { Value: not null })
        {
            r.Diagnostics.Error(node, path, $"must be {Valid} (got {NodeReader.Describe(node)})");
            return false;
        }

        pause = r.Duration(node, path);
        return pause is not null;
    }

    private static MatchSpec? Match(ComposeNode node, string path, NodeReader r)
    {
        const string Example = "{header: X-Beta, value: \"yes\"} or {cookie: beta, value: \"1\"}";
        if (node is not MappingNode)
        {
            r.Diagnostics.Error(node, path, $"must be a mapping like {Example} (got {NodeReader.Describe(node)})");
            return null;
        }

        var m = r.Section(node, path, KnownKeys.BerthMatch)!;
        string At(string key) => KeyPath.Join(path, key);
        var header = m.Get("header") is { } h ? NonEmpty(h, At("header"), r) : null;
        var cookie = m.Get("cookie") is { } c ? NonEmpty(c, At("cookie"), r) : null;
        var value = m.Get("value") is { } v ? r.String(v, At("value")) : null;
        var ok = true;
        if ((m.Get("header") is null) == (m.Get("cookie") is null))
        {
            r.Diagnostics.Error(m, path, $"needs exactly one of header or cookie, e.g. {Example}");
            ok = false;
        }

        if (m.Get("value") is not { } valueNode || (value is null && valueNode is ScalarNode))
        {
            r.Diagnostics.Error(m.Get("value") ?? m, At("value"), $"is required: the header or cookie value that sends a request to the canary, e.g. {Example}");
            ok = false;
        }

        return ok && value is not null && (header ?? cookie) is not null ? new MatchSpec { Header = header, Cookie = cookie, Value = value } : null;
    }

    private static string? NonEmpty(ComposeNode node, string path, NodeReader r)
    {
        var text = r.String(node, path);
        if (text is not null && text.Trim().Length == 0 || text is null && node is ScalarNode)
        {
            r.Diagnostics.Error(node, path, "must be a name, not empty");
            return null;
        }

        return text;
    }
}
