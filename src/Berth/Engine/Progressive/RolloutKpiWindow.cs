using Berth.Spec;
using Berth.Store;

namespace Berth.Engine.Progressive;

/// <summary>
/// The window a blue/green or canary rollout's KPIs are read over when no measurement is taken (charts, `rollout
/// status`): the interval of the analysis running now, so they show the numbers analysis judges; else 10 s.
/// </summary>
public static class RolloutKpiWindow
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(10);

    public static TimeSpan Of(string strategyKind, RolloutProgress progress, StrategySpec? strategy)
    {
        ArgumentNullException.ThrowIfNull(progress);
        var canary = strategy?.Canary;
        var step = canary is not null && progress.Step >= 0 && progress.Step < canary.Steps.Count ? canary.Steps[progress.Step] : null;
        var blueGreen = strategy?.BlueGreen;
        var analysis = strategyKind == StrategySpec.CanaryKind
            ? step?.Analysis ?? canary?.Analysis
            : progress.Phase == RolloutPhases.Promoted ? blueGreen?.PostPromotion?.Analysis : blueGreen?.PrePromotion?.Analysis;
        return analysis?.Interval is { } interval && interval > TimeSpan.Zero ? interval : Default;
    }
}
