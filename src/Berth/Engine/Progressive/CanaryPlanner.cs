using Berth.Spec;
using Berth.Store;

namespace Berth.Engine.Progressive;

/// <summary>
/// A canary rollout as a pure decision (in the manner of Argo Rollouts' canary reconcile): runs the steps in order —
/// weight, pause, analysis, replicas, match — with the background analysis from the first weight above 0, then scales
/// the new release to full size and switches. A step that changes the route (weight, match) ends the pass, so the
/// router has each split before the next step starts; a step that must wait returns when to look again.
/// </summary>
public static class CanaryPlanner
{
    public static ProgressivePlan Plan(ProgressiveInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var pass = new PlanBuilder(input);
        return ProgressiveSteps.Prelude(pass)
            ?? (input.Switched ? ProgressiveSteps.AfterSwitch(pass) : Steps(pass));
    }

    /// <summary>Replicas for a weight: the share of the desired count, rounded up, at least one while the weight is above 0.</summary>
    public static int ReplicasFor(int weight, int desired, int? fixedReplicas) =>
        fixedReplicas ?? (weight <= 0 ? 0 : Math.Clamp((int)Math.Ceiling(desired * weight / 100.0), 1, Math.Max(desired, 1)));

    private static ProgressivePlan Steps(PlanBuilder pass)
    {
        var canary = pass.Strategy.Canary ?? new CanarySpec();
        var desired = pass.Input.Desired;
        var to = pass.Rollout.ToRelease;

        // Each turn ends a step or returns; a step that ends goes on to the next one in the same pass.
        for (var guard = 0; guard <= canary.Steps.Count + 2; guard++)
        {
            var progress = pass.Progress;
            if (progress.Phase == RolloutPhases.ScalingUp || progress.Step >= canary.Steps.Count || progress.PromoteFull)
            {
                return ScaleUpAndSwitch(pass, canary);
            }

            if (canary.Analysis is { } background && progress.Weight > 0)
            {
                var measured = AnalysisRun.Measure(pass, background, background: true);
                if (measured.Ended is { } ended)
                {
                    return ended;
                }

                pass.BackgroundWake = measured.Next;
            }

            var step = canary.Steps[progress.Step];
            var label = $"step {progress.Step + 1}/{canary.Steps.Count}";
            if (progress.PromoteRequested)
            {
                pass.Progress = pass.Progress with { PromoteRequested = false };
                pass.FinishStep($"{label} ({CanaryStepText.Describe(step)}) ended by berth promote");
                continue;
            }

            var sized = ReplicasFor(progress.Weight, desired, progress.FixedReplicas);
            switch (step.Kind)
            {
                case CanaryStepSpec.WeightKind:
                {
                    var weight = step.Weight ?? 0;
                    var want = ReplicasFor(Math.Max(weight, progress.Weight), desired, progress.FixedReplicas);
                    pass.WantCandidates(want);
                    if (pass.Input.Pool.ReadyUpTo(want) < want)
                    {
                        return ProgressiveSteps.WaitForReplicas(pass, want, pass.BackgroundWake);
                    }

                    if (!progress.WeightDecided)
                    {
                        // The weight goes to the routers after this plan is saved. The step ends in a later pass, once
                        // every router serves it (a lagging router holds the plan: RouterLag), so what comes next — a
                        // pause, an analysis — counts from when the routers acknowledged it, not from this decision.
                        pass.Progress = pass.Progress with { Weight = weight, WeightDecided = true, Phase = RolloutPhases.Stepping };
                        pass.Decide(progress.Step, RolloutDecisionKinds.Weight, $"{label}: weight {weight} % to release {to} ({want} replica{(want == 1 ? "" : "s")} ready)",
                            new Dictionary<string, string> { ["weight"] = PlanBuilder.Text(weight), ["replicas"] = PlanBuilder.Text(want) });
                        return pass.Wait(pass.Now);
                    }

                    pass.FinishStep(null);
                    continue;
                }

                case CanaryStepSpec.ReplicasKind:
                {
                    var want = step.Replicas ?? 0;
                    pass.Progress = pass.Progress with { FixedReplicas = want };
                    pass.WantCandidates(want);
                    if (pass.Input.Pool.ReadyUpTo(want) < want)
                    {
                        return ProgressiveSteps.WaitForReplicas(pass, want, pass.BackgroundWake);
                    }

                    pass.Decide(progress.Step, RolloutDecisionKinds.Replicas, $"{label}: release {to} fixed at {want} replicas", new Dictionary<string, string> { ["replicas"] = PlanBuilder.Text(want) });
                    pass.FinishStep(null);
                    continue;
                }

                case CanaryStepSpec.MatchKind:
                {
                    pass.WantCandidates(sized);
                    pass.Progress = pass.Progress with { Match = step.Match };
                    var rule = step.Match is { } match ? CanaryStepText.Match(match) : "no rule";
                    pass.Decide(progress.Step, RolloutDecisionKinds.Match, $"{label}: only requests with {rule} may reach release {to}");
                    pass.FinishStep(null);
                    return pass.Wait(pass.Now);
                }

                case CanaryStepSpec.PauseKind when step.Pause is null:
                    pass.WantCandidates(sized);
                    return pass.Pause(progress.Step, $"{label}: paused until `berth promote {pass.Input.Service}`", RolloutPhases.AwaitingPromotion);

                case CanaryStepSpec.PauseKind:
                {
                    pass.WantCandidates(sized);
                    var end = progress.StepStartedAt + step.Pause!.Value;
                    if (pass.Now < end)
                    {
                        return pass.Wait(ProgressiveSteps.Earliest(end, pass.BackgroundWake));
                    }

                    pass.FinishStep($"{label}: pause {DurationText.Format(step.Pause.Value)} over");
                    continue;
                }

                case CanaryStepSpec.AnalysisKind:
                {
                    pass.WantCandidates(sized);
                    var measured = AnalysisRun.Measure(pass, step.Analysis ?? new AnalysisSpec(), background: false);
                    if (measured.Passed)
                    {
                        pass.FinishStep($"{label}: analysis passed ({AnalysisRun.Summary(pass.Progress.StepAnalysis)})");
                        continue;
                    }

                    return measured.Ended ?? pass.Wait(ProgressiveSteps.Earliest(measured.Next, pass.BackgroundWake));
                }

                default:
                    throw new InvalidDataException($"unknown canary step kind {step.Kind}");
            }
        }

        return pass.Wait(pass.Now);
    }

    /// <summary>After the last step (or `promote --full`): the new release at full size, then the switch.</summary>
    private static ProgressivePlan ScaleUpAndSwitch(PlanBuilder pass, CanarySpec canary)
    {
        var progress = pass.Progress;
        var desired = pass.Input.Desired;
        if (progress.Phase != RolloutPhases.ScalingUp)
        {
            var why = progress.PromoteFull && progress.Step < canary.Steps.Count
                ? $"promote --full: steps {progress.Step + 1}–{canary.Steps.Count} skipped"
                : "all steps done";
            pass.Progress = progress with { Phase = RolloutPhases.ScalingUp, StepStartedAt = pass.Now, ProgressedAt = pass.Now };
            pass.Decide(null, RolloutDecisionKinds.ScalingUp, $"{why}: scaling release {pass.Rollout.ToRelease} to {desired} replicas before it becomes stable",
                new Dictionary<string, string> { ["replicas"] = PlanBuilder.Text(desired) });
        }

        pass.WantCandidates(desired);
        return pass.Input.Pool.ReadyUpTo(desired) < desired
            ? ProgressiveSteps.WaitForReplicas(pass, desired)
            : pass.Switch(canary.ScaleDownDelay);
    }
}
