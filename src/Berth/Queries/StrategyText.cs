using System.Globalization;
using Berth.Engine;
using Berth.Engine.Progressive;
using Berth.Spec;

namespace Berth.Queries;

/// <summary>How `rollout status` and `rollout report` put a blue/green or canary configuration into words.</summary>
public static class StrategyText
{
    /// <summary>"error_rate ≤ 5%, latency_p95 ≤ 300ms and ≤ 1.5× stable; min 20 requests, failure_limit 0, inconclusive_limit 0".</summary>
    public static string Analysis(AnalysisSpec analysis)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        var metrics = analysis.Metrics.Count == 0
            ? "error_rate ≤ 5% (default)"
            : string.Join(", ", analysis.Metrics.Select(Metric));
        return Invariant(
            $"{CanaryStepText.Measurements(analysis)}: {metrics}; min {analysis.MinRequests} requests, failure_limit {analysis.FailureLimit}, inconclusive_limit {analysis.InconclusiveLimit}");
    }

    /// <summary>"latency_p95 ≤ 300ms and ≤ 1.5× stable".</summary>
    public static string Metric(MetricSpec metric)
    {
        ArgumentNullException.ThrowIfNull(metric);
        var limits = new List<string>();
        if (metric.Max is { } max)
        {
            limits.Add(metric.Name == MetricSpec.ErrorRate ? Invariant($"≤ {max * 100:0.##}%") : Invariant($"≤ {max:0.##}ms"));
        }

        if (metric.MaxRatio is { } ratio)
        {
            limits.Add(Invariant($"≤ {ratio:0.##}× stable"));
        }

        return $"{metric.Name} {string.Join(" and ", limits)}";
    }

    /// <summary>The strategy's settings, one line each, as the report's header shows them.</summary>
    public static IReadOnlyList<string> Settings(StrategySpec strategy)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        var lines = new List<string> { $"strategy: {strategy.Kind}" };
        if (strategy.Kind == StrategySpec.CanaryKind)
        {
            var canary = strategy.Canary ?? new CanarySpec();
            lines.Add(canary.Steps.Count == 0
                ? "steps: none (promoted as soon as ready)"
                : "steps: " + string.Join(", ", canary.Steps.Select((s, i) => Invariant($"{i + 1}. {CanaryStepText.Describe(s)}"))));
            foreach (var (step, index) in canary.Steps.Select((s, i) => (s, i)).Where(x => x.s.Analysis is not null))
            {
                lines.Add(Invariant($"step {index + 1} analysis: {Analysis(step.Analysis!)}"));
            }

            lines.Add(canary.Analysis is { } background ? $"background analysis: {Analysis(background)}" : "background analysis: none");
            lines.Add($"progress_deadline: {DurationText.Format(canary.ProgressDeadline)}");
            lines.Add($"scale_down_delay: {DurationText.Format(canary.ScaleDownDelay)}");
            if (canary.PreviewPort is { } port)
            {
                lines.Add(Invariant($"preview_port: {port}"));
            }
        }
        else if (strategy.Kind == StrategySpec.BlueGreenKind)
        {
            var blueGreen = strategy.BlueGreen ?? new BlueGreenSpec();
            lines.Add(blueGreen.AutoPromote ? "auto_promote: true (switch as soon as green is ready and the gate passed)" : "auto_promote: false (waits for `berth promote`)");
            lines.Add(Gate("pre_promotion", blueGreen.PrePromotion));
            lines.Add(Gate("post_promotion", blueGreen.PostPromotion));
            lines.Add($"progress_deadline: {DurationText.Format(blueGreen.ProgressDeadline)}");
            lines.Add($"scale_down_delay: {DurationText.Format(blueGreen.ScaleDownDelay)}");
            if (blueGreen.PreviewPort is { } port)
            {
                lines.Add(Invariant($"preview_port: {port}"));
            }
        }

        return lines;
    }

    private static string Gate(string name, PromotionGateSpec? gate)
    {
        if (gate is null)
        {
            return $"{name}: none";
        }

        var parts = new List<string>();
        if (gate.Smoke is { } smoke)
        {
            parts.Add($"smoke `{smoke}` (timeout {DurationText.Format(gate.SmokeTimeout)})");
        }

        if (gate.Analysis is { } analysis)
        {
            parts.Add($"analysis {Analysis(analysis)}");
        }

        return $"{name}: {(parts.Count == 0 ? "none" : string.Join("; ", parts))}";
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
