namespace Berth.Spec.Loading;

/// <summary>Builds <see cref="BlueGreenSpec"/> from <c>x-berth.blue_green</c>, with its pre- and post-promotion gates.</summary>
internal static class BlueGreenSpecBuilder
{
    /// <param name="ports">The service's ports, which the preview port must not reuse.</param>
    public static BlueGreenSpec? Build(ComposeNode node, string path, NodeReader r, IReadOnlyList<PortSpec> ports)
    {
        if (r.Section(node, path, KnownKeys.BerthBlueGreen) is not { } m)
        {
            return null;
        }

        string At(string key) => KeyPath.Join(path, key);
        var spec = new BlueGreenSpec();
        if (m.Get("preview_port") is { } preview)
        {
            spec = spec with { PreviewPort = StrategySpecBuilder.PreviewPort(preview, At("preview_port"), r, ports) };
        }

        if (m.Get("auto_promote") is { } autoPromote)
        {
            spec = spec with { AutoPromote = r.Bool(autoPromote, At("auto_promote")) ?? spec.AutoPromote };
        }

        if (m.Get("scale_down_delay") is { } delay)
        {
            spec = spec with { ScaleDownDelay = r.Duration(delay, At("scale_down_delay")) ?? spec.ScaleDownDelay };
        }

        if (m.Get("progress_deadline") is { } deadline)
        {
            spec = spec with { ProgressDeadline = AnalysisSpecBuilder.PositiveDuration(deadline, At("progress_deadline"), r) ?? spec.ProgressDeadline };
        }

        if (m.Get("pre_promotion") is { } pre)
        {
            spec = spec with { PrePromotion = Gate(pre, At("pre_promotion"), r, "before the switch") };
        }

        if (m.Get("post_promotion") is { } post)
        {
            spec = spec with { PostPromotion = Gate(post, At("post_promotion"), r, "before blue is scaled down") };
        }

        return spec;
    }

    /// <summary>A gate; null when it checks nothing (<c>{}</c>).</summary>
    private static PromotionGateSpec? Gate(ComposeNode node, string path, NodeReader r, string countNeededFor)
    {
        if (node is ScalarNode { Value: null })
        {
            return null;
        }

        if (r.Section(node, path, KnownKeys.BerthPromotionGate) is not { } m)
        {
            return null;
        }

        string At(string key) => KeyPath.Join(path, key);
        var gate = new PromotionGateSpec();
        if (m.Get("smoke") is { } smoke)
        {
            var command = r.String(smoke, At("smoke"));
            if (command is null && smoke is ScalarNode || command is not null && command.Trim().Length == 0)
            {
                r.Diagnostics.Error(smoke, At("smoke"), "must be a shell command, e.g. curl -fsS $$BERTH_PREVIEW_URL/health");
            }

            gate = gate with { Smoke = string.IsNullOrWhiteSpace(command) ? null : command };
        }

        if (m.Get("smoke_timeout") is { } timeout)
        {
            gate = gate with { SmokeTimeout = AnalysisSpecBuilder.PositiveDuration(timeout, At("smoke_timeout"), r) ?? gate.SmokeTimeout };
        }

        if (m.Get("analysis") is { } analysis)
        {
            gate = gate with { Analysis = AnalysisSpecBuilder.Build(analysis, At("analysis"), r, countNeededFor) };
        }

        return gate.Smoke is null && gate.Analysis is null ? null : gate;
    }
}
