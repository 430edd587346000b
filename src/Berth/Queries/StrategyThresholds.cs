using Berth.Api;
using Berth.Engine.Gates;
using Berth.Spec;

namespace Berth.Queries;

/// <summary>Every KPI ceiling a strategy's analyses hold a release to (for the charts' threshold lines), each once.</summary>
public static class StrategyThresholds
{
    public static IReadOnlyList<ThresholdInfo> Of(StrategySpec strategy)
    {
        IEnumerable<AnalysisSpec?> analyses = strategy.Kind switch
        {
            StrategySpec.CanaryKind when strategy.Canary is { } canary => [canary.Analysis, .. canary.Steps.Select(s => s.Analysis)],
            StrategySpec.BlueGreenKind when strategy.BlueGreen is { } blueGreen => [blueGreen.PrePromotion?.Analysis, blueGreen.PostPromotion?.Analysis],
            _ => [],
        };
        return analyses
            .OfType<AnalysisSpec>()
            .SelectMany(a => a.Metrics.Count > 0 ? a.Metrics : AnalysisJudge.DefaultMetrics)
            .Select(m => new ThresholdInfo(m.Name, m.Max, m.MaxRatio))
            .Distinct()
            .ToList();
    }
}
