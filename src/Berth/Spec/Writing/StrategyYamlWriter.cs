using Berth.Spec.Loading;

namespace Berth.Spec.Writing;

/// <summary>Writes <c>x-berth.canary</c> and <c>x-berth.blue_green</c> with every default spelled out, in the form the loader reads back.</summary>
internal static class StrategyYamlWriter
{
    public static void WriteCanary(YamlEventWriter y, CanarySpec c)
    {
        y.BeginMap();
        if (c.Analysis is { } analysis)
        {
            y.Key("analysis");
            WriteAnalysis(y, analysis);
        }

        if (c.PreviewPort is { } preview)
        {
            y.Key("preview_port").Int(preview);
        }

        y.Key("progress_deadline").Str(DurationCodec.Format(c.ProgressDeadline));
        y.Key("scale_down_delay").Str(DurationCodec.Format(c.ScaleDownDelay));
        y.Key("steps").BeginList();
        foreach (var step in c.Steps)
        {
            WriteStep(y, step);
        }

        y.EndList().EndMap();
    }

    public static void WriteBlueGreen(YamlEventWriter y, BlueGreenSpec b)
    {
        y.BeginMap().Key("auto_promote").Bool(b.AutoPromote);
        WriteGate(y, "post_promotion", b.PostPromotion);
        WriteGate(y, "pre_promotion", b.PrePromotion);
        if (b.PreviewPort is { } preview)
        {
            y.Key("preview_port").Int(preview);
        }

        y.Key("progress_deadline").Str(DurationCodec.Format(b.ProgressDeadline));
        y.Key("scale_down_delay").Str(DurationCodec.Format(b.ScaleDownDelay));
        y.EndMap();
    }

    private static void WriteStep(YamlEventWriter y, CanaryStepSpec step)
    {
        y.BeginMap().Key(step.Kind);
        switch (step.Kind)
        {
            case CanaryStepSpec.WeightKind:
                y.Int(step.Weight ?? 0);
                break;
            case CanaryStepSpec.PauseKind when step.Pause is { } pause:
                y.Str(DurationCodec.Format(pause));
                break;
            case CanaryStepSpec.PauseKind:
                y.BeginMap().EndMap();
                break;
            case CanaryStepSpec.AnalysisKind:
                WriteAnalysis(y, step.Analysis ?? new AnalysisSpec());
                break;
            case CanaryStepSpec.ReplicasKind:
                y.Int(step.Replicas ?? 0);
                break;
            default:
                var match = step.Match!;
                y.BeginMap();
                y.OptionalKey("cookie", match.Cookie);
                y.OptionalKey("header", match.Header);
                y.Key("value").Str(match.Value).EndMap();
                break;
        }

        y.EndMap();
    }

    private static void WriteGate(YamlEventWriter y, string key, PromotionGateSpec? gate)
    {
        if (gate is null)
        {
            return;
        }

        y.Key(key).BeginMap();
        if (gate.Analysis is { } analysis)
        {
            y.Key("analysis");
            WriteAnalysis(y, analysis);
        }

        y.OptionalKey("smoke", gate.Smoke);
        y.Key("smoke_timeout").Str(DurationCodec.Format(gate.SmokeTimeout));
        y.EndMap();
    }

    private static void WriteAnalysis(YamlEventWriter y, AnalysisSpec a)
    {
        y.BeginMap();
        if (a.Count is { } count)
        {
            y.Key("count").Int(count);
        }

        y.Key("failure_limit").Int(a.FailureLimit)
            .Key("inconclusive_limit").Int(a.InconclusiveLimit)
            .Key("interval").Str(DurationCodec.Format(a.Interval))
            .Key("metrics").BeginList();
        foreach (var metric in a.Metrics)
        {
            // error_rate as a fraction, latencies as a bare number of milliseconds: both read back unchanged.
            y.BeginMap();
            if (metric.Max is { } max)
            {
                y.Key("max").Number(max);
            }

            if (metric.MaxRatio is { } ratio)
            {
                y.Key("max_ratio").Number(ratio);
            }

            y.Key("name").Str(metric.Name).EndMap();
        }

        y.EndList().Key("min_requests").Int(a.MinRequests).EndMap();
    }
}
