using System.Globalization;
using Berth.Routing;
using Berth.Spec;

namespace Berth.Engine.Gates;

/// <summary>Outcome of one analysis measurement.</summary>
public enum AnalysisOutcome
{
    Passed,
    Failed,

    /// <summary>Too little traffic to judge (fewer than min_requests).</summary>
    Inconclusive,
}

/// <summary>One metric of one measurement: what was measured, against which ceiling.</summary>
public sealed record MetricMeasurement(string Metric, double Measured, double? StableValue, double Limit, string LimitText, bool Passed);

/// <summary>One analysis measurement: the outcome, each metric's numbers, and the traffic it was based on.</summary>
public sealed record AnalysisMeasurement(AnalysisOutcome Outcome, IReadOnlyList<MetricMeasurement> Metrics, long Requests, long StableRequests, string Summary)
{
    /// <summary>The numbers behind the decision, flat, for the rollout's timeline.</summary>
    public IReadOnlyDictionary<string, string> Data()
    {
        var data = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["outcome"] = Outcome.ToString().ToLowerInvariant(),
            ["requests"] = Requests.ToString(CultureInfo.InvariantCulture),
            ["stable_requests"] = StableRequests.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var metric in Metrics)
        {
            data[metric.Metric] = AnalysisJudge.Format(metric.Metric, metric.Measured);
            data[metric.Metric + "_limit"] = metric.LimitText;
            if (metric.StableValue is { } stable)
            {
                data[metric.Metric + "_stable"] = AnalysisJudge.Format(metric.Metric, stable);
            }
        }

        return data;
    }
}

/// <summary>
/// Judges one analysis measurement: the new release's KPIs over the interval against each metric's ceilings — an
/// absolute <c>max</c>, and/or <c>max_ratio</c> times the stable release's value over the same window. Fewer than
/// min_requests requests to the new release (or to the stable one, when a ratio needs it) is inconclusive.
/// Ratios use a floor for the stable value (1 % error rate, 1 ms latency) so a perfect stable release does not make
/// any single error a failure.
/// </summary>
public static class AnalysisJudge
{
    /// <summary>The metrics checked when an analysis lists none.</summary>
    public static readonly IReadOnlyList<MetricSpec> DefaultMetrics = [new MetricSpec { Name = MetricSpec.ErrorRate, Max = 0.05 }];

    private const double ErrorRateFloor = 0.01;
    private const double LatencyFloorMs = 1;

    public static AnalysisMeasurement Judge(AnalysisSpec analysis, KpiSnapshot candidate, KpiSnapshot stable)
    {
        var metrics = analysis.Metrics.Count > 0 ? analysis.Metrics : DefaultMetrics;
        var needsStable = metrics.Any(m => m.MaxRatio is not null);
        if (candidate.Requests < analysis.MinRequests || (needsStable && stable.Requests < analysis.MinRequests))
        {
            var who = candidate.Requests < analysis.MinRequests
                ? $"the new release served {candidate.Requests} requests"
                : $"the stable release served {stable.Requests} requests (a max_ratio needs it)";
            return new AnalysisMeasurement(AnalysisOutcome.Inconclusive, [], candidate.Requests, stable.Requests,
                $"inconclusive: {who} in {DurationText.Format(candidate.Window)}, min_requests is {analysis.MinRequests}");
        }

        var measured = new List<MetricMeasurement>();
        foreach (var metric in metrics)
        {
            var value = ValueOf(metric.Name, candidate);
            var stableValue = ValueOf(metric.Name, stable);
            var limits = new List<(double Limit, string Text)>();
            if (metric.Max is { } max)
            {
                limits.Add((max, Format(metric.Name, max)));
            }

            if (metric.MaxRatio is { } ratio)
            {
                var floor = metric.Name == MetricSpec.ErrorRate ? ErrorRateFloor : LatencyFloorMs;
                var basis = Math.Max(stableValue, floor);
                limits.Add((basis * ratio, $"{ratio.ToString("0.##", CultureInfo.InvariantCulture)}× stable ({Format(metric.Name, basis * ratio)})"));
            }

            var (limit, text) = limits.MinBy(l => l.Limit);
            measured.Add(new MetricMeasurement(metric.Name, value, metric.MaxRatio is null ? null : stableValue, limit, text, value <= limit));
        }

        var failed = measured.Where(m => !m.Passed).ToList();
        var summary = failed.Count > 0
            ? "failed: " + string.Join("; ", failed.Select(m => $"{m.Metric} {Format(m.Metric, m.Measured)} > {m.LimitText}")) + $" ({candidate.Requests} requests)"
            : "passed: " + string.Join("; ", measured.Select(m => $"{m.Metric} {Format(m.Metric, m.Measured)} ≤ {m.LimitText}")) + $" ({candidate.Requests} requests)";
        return new AnalysisMeasurement(failed.Count > 0 ? AnalysisOutcome.Failed : AnalysisOutcome.Passed, measured, candidate.Requests, stable.Requests, summary);
    }

    public static double ValueOf(string metric, KpiSnapshot kpis) => metric switch
    {
        MetricSpec.ErrorRate => kpis.ErrorRate,
        MetricSpec.LatencyP95 => kpis.P95Ms,
        MetricSpec.LatencyP99 => kpis.P99Ms,
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "unknown metric"),
    };

    public static string Format(string metric, double value) => metric == MetricSpec.ErrorRate
        ? (value * 100).ToString("0.##", CultureInfo.InvariantCulture) + " %"
        : value.ToString("0.#", CultureInfo.InvariantCulture) + " ms";
}
