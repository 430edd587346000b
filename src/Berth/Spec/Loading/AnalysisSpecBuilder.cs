using System.Globalization;

namespace Berth.Spec.Loading;

/// <summary>Builds an <see cref="AnalysisSpec"/> (canary step, background analysis or blue/green gate) with its metrics.</summary>
internal static class AnalysisSpecBuilder
{
    /// <summary>Used when an analysis names no metrics.</summary>
    public static readonly IReadOnlyList<MetricSpec> DefaultMetrics = [new MetricSpec { Name = MetricSpec.ErrorRate, Max = 0.05 }];

    private const string MetricsExample = "[{name: error_rate, max: 5%}, {name: latency_p95, max_ratio: 1.5}]";

    /// <param name="countNeededFor">
    /// Set when the analysis must end on its own (an inline step, a promotion gate): what the count decides,
    /// e.g. "before the next step"; <c>count</c> is then required.
    /// </param>
    public static AnalysisSpec? Build(ComposeNode node, string path, NodeReader r, string? countNeededFor)
    {
        if (r.Section(node, path, KnownKeys.BerthAnalysis) is not { } m)
        {
            return null;
        }

        string At(string key) => KeyPath.Join(path, key);
        var spec = new AnalysisSpec();
        if (m.Get("interval") is { } interval && PositiveDuration(interval, At("interval"), r) is { } every)
        {
            spec = spec with { Interval = every };
        }

        if (m.Get("count") is { } count)
        {
            spec = spec with { Count = r.Int(count, At("count"), min: 1) };
        }
        else if (countNeededFor is not null)
        {
            r.Diagnostics.Error(m, At("count"), $"is required: how many measurements must pass {countNeededFor}, e.g. count: 3");
        }

        spec = spec with
        {
            MinRequests = m.Get("min_requests") is { } mr ? r.Int(mr, At("min_requests"), min: 0) ?? spec.MinRequests : spec.MinRequests,
            FailureLimit = m.Get("failure_limit") is { } fl ? r.Int(fl, At("failure_limit"), min: 0) ?? 0 : 0,
            InconclusiveLimit = m.Get("inconclusive_limit") is { } il ? r.Int(il, At("inconclusive_limit"), min: 0) ?? 0 : 0,
        };

        var metrics = m.Get("metrics") is { } list ? Metrics(list, At("metrics"), r) : [];
        return spec with { Metrics = metrics.Count > 0 ? metrics : DefaultMetrics };
    }

    /// <summary>A duration that must be more than zero (an interval, a deadline, a timeout).</summary>
    public static TimeSpan? PositiveDuration(ComposeNode node, string path, NodeReader r)
    {
        var value = r.Duration(node, path);
        if (value is { } v && v <= TimeSpan.Zero)
        {
            r.Diagnostics.Error(node, path, $"must be more than 0s (got \"{((ScalarNode)node).Value}\")");
            return null;
        }

        return value;
    }

    private static List<MetricSpec> Metrics(ComposeNode node, string path, NodeReader r)
    {
        var metrics = new List<MetricSpec>();
        if (node is ScalarNode { Value: null })
        {
            return metrics;
        }

        if (node is not SequenceNode list)
        {
            r.Diagnostics.Error(node, path, $"must be a list of metrics, e.g. {MetricsExample} (got {NodeReader.Describe(node)})");
            return metrics;
        }

        for (var i = 0; i < list.Items.Count; i++)
        {
            if (Metric(list.Items[i], KeyPath.Index(path, i), r) is { } metric)
            {
                metrics.Add(metric);
            }
        }

        return metrics;
    }

    private static MetricSpec? Metric(ComposeNode node, string path, NodeReader r)
    {
        if (node is not MappingNode)
        {
            r.Diagnostics.Error(node, path, $"must be a mapping with name and max or max_ratio, e.g. {{name: error_rate, max: 5%}} (got {NodeReader.Describe(node)})");
            return null;
        }

        var m = r.Section(node, path, KnownKeys.BerthMetric)!;
        string At(string key) => KeyPath.Join(path, key);
        var valid = string.Join(", ", MetricSpec.Names);
        if (m.Get("name") is not { } nameNode)
        {
            r.Diagnostics.Error(m, At("name"), $"is required: one of {valid}");
            return null;
        }

        var name = r.String(nameNode, At("name"));
        if (name is null)
        {
            if (nameNode is ScalarNode)
            {
                r.Diagnostics.Error(nameNode, At("name"), $"is required: one of {valid}");
            }

            return null;
        }

        if (!MetricSpec.Names.Contains(name, StringComparer.Ordinal))
        {
            var suggestion = NearestName.Find(name, MetricSpec.Names);
            var hint = suggestion is null ? "" : $"did you mean `{suggestion}`? ";
            r.Diagnostics.Error(nameNode, At("name"), $"`{name}` is not a metric Berth measures; {hint}valid metrics: {valid}");
            return null;
        }

        var maxNode = m.Get("max");
        var ratioNode = m.Get("max_ratio");
        if (maxNode is null && ratioNode is null)
        {
            var example = name == MetricSpec.ErrorRate ? "max: 5%" : "max: 300ms";
            r.Diagnostics.Error(m, path, $"metric {name} needs max (an absolute ceiling, e.g. {example}) or max_ratio (relative to the stable release, e.g. max_ratio: 1.5)");
            return null;
        }

        double? max = maxNode is null ? null : name == MetricSpec.ErrorRate ? ErrorRate(maxNode, At("max"), r) : LatencyMilliseconds(maxNode, At("max"), r);
        double? ratio = ratioNode is null ? null : r.Double(ratioNode, At("max_ratio"), min: 0, max: double.MaxValue, minExclusive: true);
        if ((maxNode is not null && max is null) || (ratioNode is not null && ratio is null))
        {
            return null;
        }

        return new MetricSpec { Name = name, Max = max, MaxRatio = ratio };
    }

    /// <summary>A fraction 0–1, written <c>0.05</c> or <c>5%</c>.</summary>
    private static double? ErrorRate(ComposeNode node, string path, NodeReader r)
    {
        var text = r.String(node, path)?.Trim();
        if (text is null)
        {
            return null;
        }

        var percent = text.EndsWith('%');
        var number = percent ? text[..^1].TrimEnd() : text;
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value)
            || value < 0 || value > (percent ? 100 : 1))
        {
            r.Diagnostics.Error(node, path, $"must be an error rate between 0 and 1, or 0% and 100%, e.g. 0.05 or 5% (got \"{text}\")");
            return null;
        }

        return percent ? value / 100 : value;
    }

    /// <summary>Milliseconds, written <c>300ms</c>, <c>0.3s</c> or <c>300</c> (a bare number is milliseconds).</summary>
    private static double? LatencyMilliseconds(ComposeNode node, string path, NodeReader r)
    {
        var text = r.String(node, path)?.Trim();
        if (text is null)
        {
            return null;
        }

        double? value = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) && double.IsFinite(ms)
            ? ms
            : DurationCodec.TryParse(text, DurationSyntax.Compose, out var duration) ? duration.TotalMilliseconds : null;
        if (value is not > 0)
        {
            r.Diagnostics.Error(node, path, $"must be a latency above 0 like 300ms, 0.3s or 300 (milliseconds) (got \"{text}\")");
            return null;
        }

        return value;
    }
}
