using System.Globalization;
using Berth.Api;

namespace Berth.Cli.Commands.Rollouts;

/// <summary>The one-line texts every rollout verb prints, so `deploy`, `rollout` and `rollback` read alike.</summary>
public static class RolloutText
{
    /// <summary>"articles_app: rollout to release 2 rolled_back: 2 of 3 replicas failed" (rollback for a rollback).</summary>
    public static string Headline(RolloutInfo rollout)
    {
        var noun = rollout.Kind == "rollback" ? "rollback" : "rollout";
        var line = string.Create(CultureInfo.InvariantCulture, $"{rollout.Service}: {noun} to release {rollout.ToRelease} {rollout.State}");
        return string.IsNullOrEmpty(rollout.Reason) ? line : $"{line}: {rollout.Reason}";
    }

    /// <summary>"release 2: 1/3 updated (updating)"; ", 1 failed" before the state when some replica failed.</summary>
    public static string Progress(RolloutInfo rollout)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        if (rollout.Progress is { } progress)
        {
            var step = progress.Steps > 0 ? $"step {StrategyStatusView.Step(progress)}, " : string.Empty;
            return string.Create(
                CultureInfo.InvariantCulture,
                $"release {rollout.ToRelease}: {rollout.Strategy} {step}phase {progress.Phase}, weight {progress.Weight}%, {progress.CandidateReady}/{progress.CandidateReplicas} ready ({rollout.State})");
        }

        var failed = rollout.Failed > 0 ? string.Create(CultureInfo.InvariantCulture, $", {rollout.Failed} failed") : string.Empty;
        return string.Create(CultureInfo.InvariantCulture, $"release {rollout.ToRelease}: {rollout.Updated}/{rollout.Total} updated{failed} ({rollout.State})");
    }

    /// <summary>"1 → 2", or "none → 1" for a rollout without a release before it.</summary>
    public static string FromTo(RolloutInfo rollout) =>
        string.Create(CultureInfo.InvariantCulture, $"{(rollout.FromRelease is { } from ? from.ToString(CultureInfo.InvariantCulture) : "none")} → {rollout.ToRelease}");

    /// <summary>"parallelism 1, order stop-first, failure_action pause, monitor 5s".</summary>
    public static string Policy(RolloutInfo rollout) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"parallelism {rollout.Parallelism}, order {rollout.Order}, failure_action {rollout.FailureAction}, monitor {rollout.MonitorSeconds:0.###}s");
}
