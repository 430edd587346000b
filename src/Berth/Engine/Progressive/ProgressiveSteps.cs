using System.Globalization;
using Berth.Store;

namespace Berth.Engine.Progressive;

/// <summary>The parts of a pass canary and blue/green share: the checks that come first, waiting for replicas, and the time after the switch.</summary>
internal static class ProgressiveSteps
{
    /// <summary>
    /// Checks before any step, in this order: a new replica that exited aborts (even when paused: nothing would
    /// replace it); a paused rollout only samples; a router that lags the saved state holds everything (a step must not
    /// be taken, nor the old release stopped, while users still get the previous split). Null when the pass goes on.
    /// </summary>
    public static ProgressivePlan? Prelude(PlanBuilder pass)
    {
        var input = pass.Input;
        if (!input.Switched && input.Pool.Exited is { } dead)
        {
            return pass.Abort(
                $"{dead.Id} (release {pass.Rollout.ToRelease}) exited ({(dead.ExitCode is { } code ? $"code {code}" : "status unknown")}){(dead.Message is null ? "" : ": " + dead.Message)}",
                new Dictionary<string, string> { ["replica"] = dead.Id, ["exit_code"] = dead.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "" });
        }

        if (pass.Rollout.State == RolloutStates.Paused)
        {
            return pass.Build(ProgressiveOutcome.Paused, null);
        }

        if (input.RouterLag is { } lag)
        {
            var deadline = Deadline(pass);
            return pass.Now - pass.Progress.ProgressedAt >= deadline
                ? pass.Abort($"progress_deadline {DurationText.Format(deadline)} passed: {lag}", new Dictionary<string, string> { ["router"] = lag })
                : pass.Wait(pass.Now + TimeSpan.FromSeconds(1));
        }

        return null;
    }

    /// <summary>Waits for <paramref name="want"/> ready replicas; past the progress deadline (since the last step done) the rollout is aborted.</summary>
    public static ProgressivePlan WaitForReplicas(PlanBuilder pass, int want, DateTimeOffset? alsoWakeAt = null)
    {
        var ready = pass.Input.Pool.ReadyUpTo(want);
        var deadline = Deadline(pass);
        if (pass.Now - pass.Progress.ProgressedAt >= deadline)
        {
            return pass.Abort(
                $"progress_deadline {DurationText.Format(deadline)} passed: {ready}/{want} replicas of release {pass.Rollout.ToRelease} ready",
                new Dictionary<string, string> { ["ready"] = PlanBuilder.Text(ready), ["wanted"] = PlanBuilder.Text(want) });
        }

        return pass.Wait(Earliest(Earliest(pass.Now + TimeSpan.FromSeconds(1), pass.Progress.ProgressedAt + deadline), alsoWakeAt));
    }

    /// <summary>
    /// After the switch: the post-promotion analysis (blue/green; a failure flips back), then at scale_down_delay the
    /// old release is scaled down and the rollout completes. `berth promote` here ends the analysis.
    /// </summary>
    public static ProgressivePlan AfterSwitch(PlanBuilder pass)
    {
        DateTimeOffset? analysisWake = null;
        var scaleDownAt = pass.Progress.ScaleDownAt ?? pass.Now;
        if (pass.Strategy.BlueGreen?.PostPromotion?.Analysis is { } analysis && !pass.Progress.StepAnalysis.Skipped && !AnalysisRun.Passed(pass.Progress.StepAnalysis, analysis))
        {
            if (pass.Progress.PromoteRequested)
            {
                pass.Progress = pass.Progress with { PromoteRequested = false, StepAnalysis = pass.Progress.StepAnalysis with { Skipped = true } };
                pass.Decide(null, RolloutDecisionKinds.GateSkipped, "post-promotion analysis ended by berth promote");
            }
            else
            {
                var measured = AnalysisRun.Measure(pass, analysis, background: false);
                if (measured.Ended is { } ended)
                {
                    return ended;
                }

                // An analysis without a count measures until the old release goes.
                analysisWake = measured.Passed || (analysis.Count is null && pass.Now >= scaleDownAt) ? null : measured.Next;
            }
        }

        if (pass.Now < scaleDownAt || analysisWake is not null)
        {
            return pass.Wait(Earliest(analysisWake, pass.Now < scaleDownAt ? scaleDownAt : null));
        }

        return pass.Complete();
    }

    public static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a < b ? a : b;

    private static TimeSpan Deadline(PlanBuilder pass) =>
        pass.Strategy.Canary?.ProgressDeadline ?? pass.Strategy.BlueGreen?.ProgressDeadline ?? new Spec.CanarySpec().ProgressDeadline;
}
