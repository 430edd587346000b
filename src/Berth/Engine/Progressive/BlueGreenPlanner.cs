using System.Globalization;
using Berth.Spec;
using Berth.Store;

namespace Berth.Engine.Progressive;

/// <summary>
/// A blue/green rollout as a pure decision: green (the new release) starts at full size beside blue, takes the
/// pre-promotion gate (smoke command, then analysis) through its preview, waits for `berth promote` unless
/// auto_promote, and switches all traffic at once; after the switch the post-promotion analysis may flip back.
/// </summary>
public static class BlueGreenPlanner
{
    /// <summary>How often a running smoke command is looked at.</summary>
    public static readonly TimeSpan SmokePoll = TimeSpan.FromMilliseconds(500);

    public static ProgressivePlan Plan(ProgressiveInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var pass = new PlanBuilder(input);
        return ProgressiveSteps.Prelude(pass)
            ?? (input.Switched ? ProgressiveSteps.AfterSwitch(pass) : BeforeSwitch(pass));
    }

    private static ProgressivePlan BeforeSwitch(PlanBuilder pass)
    {
        var blueGreen = pass.Strategy.BlueGreen ?? new BlueGreenSpec();
        var desired = pass.Input.Desired;
        var to = pass.Rollout.ToRelease;
        pass.WantCandidates(desired);
        if (pass.Progress.Phase == RolloutPhases.Starting)
        {
            if (pass.Input.Pool.ReadyUpTo(desired) < desired)
            {
                return ProgressiveSteps.WaitForReplicas(pass, desired);
            }

            pass.Progress = pass.Progress with { Phase = RolloutPhases.PrePromotion, StepStartedAt = pass.Now, ProgressedAt = pass.Now };
            var preview = blueGreen.PreviewPort is { } port ? $"preview on port {port.ToString(CultureInfo.InvariantCulture)}" : "no preview port";
            pass.Decide(null, RolloutDecisionKinds.GreenReady, $"green (release {to}) ready at full scale ({desired} replicas); {preview}; header {pass.Input.OverrideHeader}: green reaches it",
                new Dictionary<string, string> { ["replicas"] = PlanBuilder.Text(desired) });
        }

        if (pass.Progress.Phase == RolloutPhases.PrePromotion && blueGreen.PrePromotion is { } gate && Gate(pass, gate) is { } waiting)
        {
            return waiting;
        }

        if (pass.Progress.Phase == RolloutPhases.PrePromotion)
        {
            pass.Progress = pass.Progress with { Phase = RolloutPhases.AwaitingPromotion, StepStartedAt = pass.Now, ProgressedAt = pass.Now, StepAnalysis = new() };
        }

        if (!blueGreen.AutoPromote && !pass.Progress.PromoteRequested)
        {
            // Also after `rollout resume`: only `berth promote` switches when auto_promote is off.
            var where = blueGreen.PreviewPort is { } port ? $"preview it on port {port.ToString(CultureInfo.InvariantCulture)}, then " : "";
            return pass.Pause(null, $"green (release {to}) is ready: {where}switch with `berth promote {pass.Input.Service}`", RolloutPhases.AwaitingPromotion);
        }

        var why = pass.Progress.PromoteRequested ? "berth promote" : "auto_promote";
        pass.Progress = pass.Progress with { PromoteRequested = false };
        pass.Decide(null, RolloutDecisionKinds.Switch, $"switching to green (release {to}) by {why}");
        return pass.Switch(blueGreen.ScaleDownDelay);
    }

    /// <summary>
    /// The pre-promotion gate: the smoke command (started in the background, its result read by a later pass), then the
    /// analysis of green's preview traffic. `berth promote` ends a waiting analysis; `--full` skips the whole gate.
    /// Null once the gate has passed.
    /// </summary>
    private static ProgressivePlan? Gate(PlanBuilder pass, PromotionGateSpec gate)
    {
        if (pass.Progress.PromoteFull)
        {
            pass.Decide(null, RolloutDecisionKinds.GateSkipped, "pre-promotion gate skipped by berth promote --full");
            return null;
        }

        if (gate.Smoke is { } smoke && !pass.Progress.SmokePassed)
        {
            switch (pass.Input.Smoke)
            {
                case null:
                    pass.StartSmoke = new SmokeRequest(smoke, gate.SmokeTimeout);
                    return pass.Wait(pass.Now + SmokePoll);
                case { IsRunning: true }:
                    return pass.Wait(pass.Now + SmokePoll);
            }

            var result = pass.Input.Smoke.Result!;
            pass.ForgetSmoke = true;
            var data = new Dictionary<string, string> { ["command"] = smoke, ["exit_code"] = result.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "", ["output"] = result.Output };
            if (!result.Passed)
            {
                return pass.Abort($"pre-promotion gate: {result.Summary}{(result.Output.Length > 0 ? ": " + LastLine(result.Output) : "")}", data);
            }

            pass.Progress = pass.Progress with { SmokePassed = true };
            pass.Decide(null, RolloutDecisionKinds.GateSmoke, $"pre-promotion gate: {result.Summary}", data);
        }

        if (gate.Analysis is not { } analysis)
        {
            return null;
        }

        if (pass.Progress.PromoteRequested)
        {
            pass.Decide(null, RolloutDecisionKinds.GateSkipped, "pre-promotion analysis ended by berth promote");
            return null;
        }

        var measured = AnalysisRun.Measure(pass, analysis, background: false);
        return measured.Passed ? null : measured.Ended ?? pass.Wait(measured.Next);
    }

    private static string LastLine(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "";
}
