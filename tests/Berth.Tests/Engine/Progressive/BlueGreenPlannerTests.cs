using Berth.Engine.Gates;
using Berth.Engine.Progressive;
using Berth.Spec;
using Berth.Store;
using static Berth.Tests.Engine.Progressive.PlannerInputs;

namespace Berth.Tests.Engine.Progressive;

/// <summary>Every blue/green transition, one row each.</summary>
public sealed class BlueGreenPlannerTests
{
    private static readonly PromotionGateSpec Smoke = new() { Smoke = "curl -fsS $BERTH_PREVIEW_URL", SmokeTimeout = TimeSpan.FromSeconds(20) };
    private static readonly PromotionGateSpec Gate = Smoke with { Analysis = Analysis };
    private static readonly PromotionGateSpec Post = new() { Analysis = Analysis with { Interval = TimeSpan.FromSeconds(5) } };
    private static readonly RolloutProgress Ready = Progress(phase: RolloutPhases.PrePromotion);
    private static readonly RolloutProgress Promoted = Progress(phase: RolloutPhases.Promoted, weight: 100) with { PromotedAt = T0, ScaleDownAt = T0.AddSeconds(30), StepAnalysis = new AnalysisTally { LastAt = T0 } };
    private static readonly int[] All = [1, 2, 3, 4];

    private sealed record Case(ProgressiveInput Input, ProgressiveOutcome Outcome, string[] Decisions, Action<ProgressivePlan>? Check = null);

    private static readonly Dictionary<string, Case> Cases = new()
    {
        ["green starting: wants the full count, waits"] = new(
            Input(BlueGreen(), ready: [1, 2]), ProgressiveOutcome.Waiting, [],
            p =>
            {
                Assert.Equal(Desired, p.CandidateReplicas);
                Assert.Equal(new RouteSplit(1, 2, "green", 0, null, 8081), p.Route);
            }),
        ["green not ready past the deadline: aborted"] = new(
            Input(BlueGreen(), seconds: 120, ready: [1]), ProgressiveOutcome.Aborted, ["aborted"],
            p => Assert.Equal("progress_deadline 2m passed: 1/4 replicas of release 2 ready", p.Rollout.Reason)),
        ["green ready, no gate, manual: paused for berth promote"] = new(
            Input(BlueGreen(), ready: All), ProgressiveOutcome.Paused, ["green.ready", "paused"],
            p =>
            {
                Assert.Equal("green (release 2) ready at full scale (4 replicas); preview on port 8081; header X-Berth-Release: green reaches it", p.Decisions[0].Message);
                Assert.Equal("green (release 2) is ready: preview it on port 8081, then switch with `berth promote s_web`", p.Rollout.Reason);
            }),
        ["green ready, auto_promote: switched"] = new(
            Input(BlueGreen(autoPromote: true), ready: All), ProgressiveOutcome.Switched, ["green.ready", "switch", "promoted"],
            p => Assert.Equal(StableChange.Switch, p.Stable)),
        ["smoke due: started, looked at again soon"] = new(
            Input(BlueGreen(pre: Smoke), Ready, ready: All), ProgressiveOutcome.Waiting, [],
            p =>
            {
                Assert.Equal(new SmokeRequest("curl -fsS $BERTH_PREVIEW_URL", TimeSpan.FromSeconds(20)), p.StartSmoke);
                Assert.Equal(T0.AddSeconds(1.5), p.WakeAt);
            }),
        ["smoke running: waits"] = new(
            Input(BlueGreen(pre: Smoke), Ready, ready: All, smoke: SmokeStatus.Running), ProgressiveOutcome.Waiting, [],
            p => Assert.Null(p.StartSmoke)),
        ["smoke passed: recorded and forgotten, then paused"] = new(
            Input(BlueGreen(pre: Smoke), Ready, ready: All, smoke: new SmokeStatus(new SmokeResult(true, 0, "ok", "smoke command passed (exit code 0)"))),
            ProgressiveOutcome.Paused, ["gate.smoke", "paused"],
            p => Assert.True(p.ForgetSmoke && p.Rollout.Progress!.SmokePassed)),
        ["smoke failed: aborted with its last line, green stopped"] = new(
            Input(BlueGreen(pre: Smoke), Ready, ready: All, smoke: new SmokeResult(false, 7, "a\nb\n", "smoke command failed (exit code 7)") is var r ? new SmokeStatus(r) : null),
            ProgressiveOutcome.Aborted, ["aborted"],
            p =>
            {
                Assert.Equal("pre-promotion gate: smoke command failed (exit code 7): b", p.Rollout.Reason);
                Assert.True(p.ForgetSmoke && p.StopCandidates);
                Assert.Equal("7", p.Decisions[0].Data["exit_code"]);
            }),
        ["smoke passed, gate analysis: its interval starts"] = new(
            Input(BlueGreen(pre: Gate), Ready with { SmokePassed = true }, ready: All), ProgressiveOutcome.Waiting, [],
            p => Assert.Equal(T0.AddSeconds(1), p.Rollout.Progress!.StepAnalysis.LastAt)),
        ["promote --full before the gate: skipped, switched"] = new(
            Input(BlueGreen(pre: Gate), Ready with { PromoteRequested = true, PromoteFull = true }, ready: All), ProgressiveOutcome.Switched, ["gate.skipped", "switch", "promoted"],
            p => Assert.Null(p.StartSmoke)),
        ["promote while the gate analysis runs: analysis ended, switched"] = new(
            Input(BlueGreen(pre: Gate), Ready with { SmokePassed = true, PromoteRequested = true }, ready: All), ProgressiveOutcome.Switched, ["gate.skipped", "switch", "promoted"],
            p => Assert.Equal("switching to green (release 2) by berth promote", p.Decisions[1].Message)),
        ["resumed while awaiting promotion: paused again, only promote switches"] = new(
            Input(BlueGreen(), Progress(phase: RolloutPhases.AwaitingPromotion), ready: All), ProgressiveOutcome.Paused, ["paused"]),
        ["a green replica exited: aborted"] = new(
            Input(BlueGreen(), Ready, ready: [1, 2, 3], exited: new ExitedReplica("s_web.4.cd", null, null)), ProgressiveOutcome.Aborted, ["aborted"],
            p => Assert.Equal("s_web.4.cd (release 2) exited (status unknown)", p.Rollout.Reason)),
        ["post-promotion measurement passes: next one due"] = new(
            Input(BlueGreen(post: Post), Promoted, seconds: 5, serviceRelease: 2), ProgressiveOutcome.Waiting, ["analysis.passed"],
            p => Assert.StartsWith("post-promotion analysis #1: passed", p.Decisions[0].Message, StringComparison.Ordinal)),
        ["post-promotion analysis fails: flipped back to blue"] = new(
            Input(BlueGreen(post: Post), Promoted, seconds: 5, serviceRelease: 2, kpis: Traffic(errorRate: 0.3)), ProgressiveOutcome.Aborted, ["analysis.failed", "aborted"],
            p =>
            {
                Assert.Equal(StableChange.FlipBack, p.Stable);
                Assert.False(p.StopCandidates);
                Assert.Equal(new RouteSplit(1, null, null, 0, null, null), p.Route);
                Assert.StartsWith("aborted (traffic back on release 1): post-promotion analysis failed", p.Decisions[1].Message, StringComparison.Ordinal);
            }),
        ["post-promotion analysis passed, delay over: blue scaled down"] = new(
            Input(BlueGreen(post: Post), Promoted with { StepAnalysis = new AnalysisTally { Measurements = 2, LastAt = T0 } }, seconds: 30, serviceRelease: 2), ProgressiveOutcome.Completed, ["completed"],
            p => Assert.True(p.ScaleDownStable)),
        ["post-promotion analysis still running at the delay: blue kept"] = new(
            Input(BlueGreen(post: Post), Promoted with { StepAnalysis = new AnalysisTally { Measurements = 1, LastAt = T0.AddSeconds(28) } }, seconds: 30, serviceRelease: 2), ProgressiveOutcome.Waiting, [],
            p => Assert.False(p.ScaleDownStable)),
        ["promote after the switch: post-promotion analysis ended, blue scaled down when due"] = new(
            Input(BlueGreen(post: Post), Promoted with { PromoteRequested = true }, seconds: 30, serviceRelease: 2), ProgressiveOutcome.Completed, ["gate.skipped", "completed"],
            p => Assert.True(p.Rollout.Progress!.StepAnalysis.Skipped)),
    };

    public static TheoryData<string> Names => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(Names))]
    public void Plan_Transition(string name)
    {
        var (input, outcome, decisions, check) = Cases[name];

        var plan = BlueGreenPlanner.Plan(input);

        Assert.Equal(outcome, plan.Outcome);
        Assert.Equal(decisions, plan.Decisions.Select(d => d.Kind).ToArray());
        Assert.Equal(decisions.Where(k => !RolloutDecisionKinds.HasOwnEvent(k)).Select(k => "rollout." + k), plan.Events.Select(e => e.Kind).Where(k => k is not ("rollout.paused" or "rollout.aborted" or "rollout.promoted" or "rollout.completed")));
        check?.Invoke(plan);
    }
}
