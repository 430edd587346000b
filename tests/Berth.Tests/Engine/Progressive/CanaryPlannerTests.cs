using Berth.Engine.Progressive;
using Berth.Store;
using static Berth.Tests.Engine.Progressive.PlannerInputs;

namespace Berth.Tests.Engine.Progressive;

/// <summary>Every canary transition, one row each: the input, and what the plan must decide (outcome, timeline kinds, state, pools, route).</summary>
public sealed class CanaryPlannerTests
{
    private sealed record Case(ProgressiveInput Input, ProgressiveOutcome Outcome, string[] Decisions, Action<ProgressivePlan>? Check = null);

    private static readonly Dictionary<string, Case> Cases = new()
    {
        ["weight, canary not ready: wants it, waits a second"] = new(
            Input(Canary(Weight(25), Pause(30))), ProgressiveOutcome.Waiting, [],
            p => Assert.Equal((1, 0, T0.AddSeconds(2)), (p.CandidateReplicas!.Value, p.Rollout.Progress!.Weight, p.WakeAt!.Value))),
        ["weight, canary ready: weight moves and the pass ends at once; the step ends once the routers serve it"] = new(
            Input(Canary(Weight(25), Pause(30)), ready: [1]), ProgressiveOutcome.Waiting, ["weight"],
            p =>
            {
                Assert.Equal((25, 0, RolloutPhases.Stepping, true), (p.Rollout.Progress!.Weight, p.Rollout.Progress.Step, p.Rollout.Progress.Phase, p.Rollout.Progress.WeightDecided));
                Assert.Equal(new RouteSplit(1, 2, "canary", 25, null, null), p.Route);
                Assert.Equal(T0.AddSeconds(1), p.WakeAt);
                Assert.Equal("step 1/2: weight 25 % to release 2 (1 replica ready)", p.Decisions[0].Message);
            }),
        ["weight decided, the routers serve it: the step ends and the pause counts from now"] = new(
            Input(Canary(Weight(25), Pause(30)), Progress(step: 0, weight: 25, phase: RolloutPhases.Stepping) with { WeightDecided = true }, seconds: 7, ready: [1]), ProgressiveOutcome.Waiting, [],
            p =>
            {
                Assert.Equal((1, false, T0.AddSeconds(7)), (p.Rollout.Progress!.Step, p.Rollout.Progress.WeightDecided, p.Rollout.Progress.StepStartedAt));
                Assert.Equal(RolloutPhases.Stepping, p.Rollout.Progress.Phase);
            }),
        ["weight decided, a router lags: the step holds"] = new(
            Input(Canary(Weight(25), Pause(30)), Progress(step: 0, weight: 25, phase: RolloutPhases.Stepping) with { WeightDecided = true }, seconds: 7, ready: [1], routerLag: "router b did not acknowledge"),
            ProgressiveOutcome.Waiting, [],
            p => Assert.Equal((0, true), (p.Rollout.Progress!.Step, p.Rollout.Progress.WeightDecided))),
        ["weight, canary not ready past the deadline: aborted"] = new(
            Input(Canary(Weight(25)), seconds: 120), ProgressiveOutcome.Aborted, ["aborted"],
            p =>
            {
                Assert.True(p.StopCandidates);
                Assert.Equal("progress_deadline 2m passed: 0/1 replicas of release 2 ready", p.Rollout.Reason);
                Assert.Equal(new RouteSplit(1, null, null, 0, null, null), p.Route);
            }),
        ["pause 30s before its end: holds, canary kept at its size"] = new(
            Input(Canary(Weight(25), Pause(30), Weight(50)), Progress(step: 1, weight: 25, phase: RolloutPhases.Stepping), seconds: 10, ready: [1]), ProgressiveOutcome.Waiting, [],
            p => Assert.Equal((1, T0.AddSeconds(11)), (p.CandidateReplicas!.Value, p.WakeAt!.Value))),
        ["pause 30s over: the step ends, the next weight waits for its replicas"] = new(
            Input(Canary(Weight(25), Pause(30), Weight(50)), Progress(step: 1, weight: 25, phase: RolloutPhases.Stepping), seconds: 30, ready: [1]), ProgressiveOutcome.Waiting, ["step.done"],
            p => Assert.Equal((2, 2), (p.Rollout.Progress!.Step, p.CandidateReplicas!.Value))),
        ["pause {}: paused for berth promote"] = new(
            Input(Canary(Weight(25), Pause()), Progress(step: 1, weight: 25, phase: RolloutPhases.Stepping), ready: [1]), ProgressiveOutcome.Paused, ["paused"],
            p => Assert.Equal((RolloutStates.Paused, RolloutPhases.AwaitingPromotion, "step 2/2: paused until `berth promote s_web`"), (p.Rollout.State, p.Rollout.Progress!.Phase, p.Rollout.Reason))),
        ["promote on pause {}: the step ends by berth promote, then scaling up"] = new(
            Input(Canary(Weight(25), Pause()), Progress(step: 1, weight: 25, phase: RolloutPhases.AwaitingPromotion) with { PromoteRequested = true }, ready: [1]),
            ProgressiveOutcome.Waiting, ["step.done", "scaling_up"],
            p =>
            {
                Assert.Equal("step 2/2 (pause (until promote)) ended by berth promote", p.Decisions[0].Message);
                Assert.False(p.Rollout.Progress!.PromoteRequested);
                Assert.Equal(Desired, p.CandidateReplicas);
            }),
        ["replicas 2, ready: fixed, and the next step follows in the same pass"] = new(
            Input(Canary(Weight(25), Replicas(2), Weight(50)), Progress(step: 1, weight: 25, phase: RolloutPhases.Stepping), ready: [1, 2]), ProgressiveOutcome.Waiting, ["replicas", "weight"],
            p => Assert.Equal((2, 50, 2), (p.Rollout.Progress!.FixedReplicas!.Value, p.Rollout.Progress.Weight, p.CandidateReplicas!.Value))),
        ["match: the rule reaches the route and the pass ends"] = new(
            Input(Canary(Weight(25), Match(), Weight(50)), Progress(step: 1, weight: 25, phase: RolloutPhases.Stepping), ready: [1]), ProgressiveOutcome.Waiting, ["match"],
            p =>
            {
                Assert.Equal(new Berth.Routing.MatchRule("X-Beta", null, "yes"), p.Route.Match);
                Assert.Equal("step 2/3: only requests with header X-Beta=yes may reach release 2", p.Decisions[0].Message);
            }),
        ["analysis step, first look: the interval starts now, nothing measured"] = new(
            Input(Canary(Weight(25), AnalysisStep()), Progress(step: 1, weight: 25, phase: RolloutPhases.Stepping), ready: [1]), ProgressiveOutcome.Waiting, [],
            p => Assert.Equal(new AnalysisTally { LastAt = T0.AddSeconds(1) }, p.Rollout.Progress!.StepAnalysis)),
        ["analysis step, last measurement passes: the step ends with its counts"] = new(
            Input(Canary(Weight(25), AnalysisStep(inconclusiveLimit: 1), Weight(50)), Progress(step: 1, weight: 25, phase: RolloutPhases.Stepping) with { StepAnalysis = new AnalysisTally { Measurements = 2, Inconclusive = 1, LastAt = T0 } }, seconds: 10, ready: [1]),
            ProgressiveOutcome.Waiting, ["analysis.passed", "step.done"],
            p => Assert.Equal("step 2/3: analysis passed (3 measurements: 2 passed, 1 inconclusive)", p.Decisions[1].Message)),
        ["analysis step due, the routers have not reported its interval whole yet: nothing measured, looks again shortly"] = new(
            Input(Canary(Weight(25), AnalysisStep()), Progress(step: 1, weight: 25, phase: RolloutPhases.Stepping) with { StepAnalysis = new AnalysisTally { LastAt = T0 } }, seconds: 11, ready: [1], kpis: Traffic(errorRate: 0, reportedUntil: T0.AddSeconds(9))),
            ProgressiveOutcome.Waiting, [],
            p => Assert.Equal((new AnalysisTally { LastAt = T0 }, T0.AddSeconds(11.25)), (p.Rollout.Progress!.StepAnalysis, p.WakeAt!.Value))),
        ["analysis step measured once its interval is reported: the next interval starts where this one ended"] = new(
            Input(Canary(Weight(25), AnalysisStep()), Progress(step: 1, weight: 25, phase: RolloutPhases.Stepping) with { StepAnalysis = new AnalysisTally { LastAt = T0 } }, seconds: 12, ready: [1], kpis: Traffic(errorRate: 0, reportedUntil: T0.AddSeconds(10))),
            ProgressiveOutcome.Waiting, ["analysis.passed"],
            p => Assert.Equal(new AnalysisTally { Measurements = 1, LastAt = T0.AddSeconds(10) }, p.Rollout.Progress!.StepAnalysis)),
        ["analysis step, reports later than 10 s: the last interval known is measured"] = new(
            Input(Canary(Weight(25), AnalysisStep()), Progress(step: 1, weight: 25, phase: RolloutPhases.Stepping) with { StepAnalysis = new AnalysisTally { LastAt = T0 } }, seconds: 21, ready: [1], kpis: Traffic(errorRate: 0, reportedUntil: T0.AddSeconds(9))),
            ProgressiveOutcome.Waiting, ["analysis.passed"],
            p => Assert.Equal(new AnalysisTally { Measurements = 1, LastAt = T0.AddSeconds(21) }, p.Rollout.Progress!.StepAnalysis)),
        ["analysis step fails: aborted with the measurement's numbers"] = new(
            Input(Canary(Weight(25), AnalysisStep()), Progress(step: 1, weight: 25, phase: RolloutPhases.Stepping) with { StepAnalysis = new AnalysisTally { LastAt = T0 } }, seconds: 10, ready: [1], kpis: Traffic(errorRate: 0.5)),
            ProgressiveOutcome.Aborted, ["analysis.failed", "aborted"],
            p =>
            {
                Assert.Equal(p.Decisions[0].Data["error_rate"], p.Decisions[1].Data["error_rate"]);
                Assert.Equal(1, p.Decisions[1].Step);
                Assert.Equal([100L, 500L], p.Samples.Select(s => s.Requests).Order().ToList());
            }),
        ["analysis step inconclusive: paused, counts kept"] = new(
            Input(Canary(Weight(25), AnalysisStep()), Progress(step: 1, weight: 25, phase: RolloutPhases.Stepping) with { StepAnalysis = new AnalysisTally { LastAt = T0 } }, seconds: 10, ready: [1], kpis: Traffic(errorRate: 0, perSecond: 0)),
            ProgressiveOutcome.Paused, ["analysis.inconclusive", "paused"],
            p => Assert.Equal((1, 1), (p.Rollout.Progress!.StepAnalysis.Measurements, p.Rollout.Progress.StepAnalysis.Inconclusive))),
        ["analysis step resumed after inconclusive: a new run starts"] = new(
            Input(Canary(Weight(25), AnalysisStep()), Progress(step: 1, weight: 25, phase: RolloutPhases.Stepping) with { StepAnalysis = new AnalysisTally { Measurements = 1, Inconclusive = 1, LastAt = T0 } }, seconds: 20, ready: [1]),
            ProgressiveOutcome.Waiting, [],
            p => Assert.Equal(new AnalysisTally { LastAt = T0.AddSeconds(20) }, p.Rollout.Progress!.StepAnalysis)),
        ["background analysis fails during a pause: aborted"] = new(
            Input(CanaryWithBackground(Weight(25), Pause(300)), Progress(step: 1, weight: 25, phase: RolloutPhases.Stepping) with { BackgroundAnalysis = new AnalysisTally { LastAt = T0 } }, seconds: 10, ready: [1], kpis: Traffic(errorRate: 0.5)),
            ProgressiveOutcome.Aborted, ["analysis.failed", "aborted"],
            p => Assert.StartsWith("background analysis failed 1 time(s) in 1 measurement (failure_limit 0): failed: error_rate 50 % > 5 %", p.Rollout.Reason, StringComparison.Ordinal)),
        ["background analysis due before the next sample: the pause wakes for it"] = new(
            Input(CanaryWithBackground(Weight(25), Pause(300)), Progress(step: 1, weight: 25, phase: RolloutPhases.Stepping) with { BackgroundAnalysis = new AnalysisTally { LastAt = T0.AddMilliseconds(-4800) }, LastSampleAt = T0.AddSeconds(5) }, seconds: 5, ready: [1]),
            ProgressiveOutcome.Waiting, [],
            p => Assert.Equal(T0.AddMilliseconds(5200), p.WakeAt)),
        ["all steps done: scaling up to the full count"] = new(
            Input(Canary(Weight(25)), Progress(step: 1, weight: 25, phase: RolloutPhases.Stepping), ready: [1]), ProgressiveOutcome.Waiting, ["scaling_up"],
            p => Assert.Equal((RolloutPhases.ScalingUp, Desired), (p.Rollout.Progress!.Phase, p.CandidateReplicas!.Value))),
        ["scaled up and ready: switched, old release kept for scale_down_delay"] = new(
            Input(Canary(Weight(25)), Progress(step: 1, weight: 25, phase: RolloutPhases.ScalingUp), ready: [1, 2, 3, 4]), ProgressiveOutcome.Switched, ["promoted"],
            p =>
            {
                Assert.Equal(StableChange.Switch, p.Stable);
                Assert.Equal(new RouteSplit(2, null, null, 0, null, null), p.Route);
                Assert.Equal((100, T0.AddSeconds(31)), (p.Rollout.Progress!.Weight, p.Rollout.Progress.ScaleDownAt!.Value));
                Assert.Null(p.CandidateReplicas);
            }),
        ["promote --full at step 1: every step skipped"] = new(
            Input(Canary(Weight(25), Pause(), Weight(50)), Progress(step: 1, weight: 25, phase: RolloutPhases.AwaitingPromotion) with { PromoteFull = true, PromoteRequested = true }, ready: [1]),
            ProgressiveOutcome.Waiting, ["scaling_up"],
            p => Assert.StartsWith("promote --full: steps 2–3 skipped", p.Decisions[0].Message, StringComparison.Ordinal)),
        ["paused: only samples, canary left as it is"] = new(
            Input(Canary(Weight(25), Pause()), Progress(step: 1, weight: 25, phase: RolloutPhases.AwaitingPromotion), state: RolloutStates.Paused, ready: [1]), ProgressiveOutcome.Paused, [],
            p =>
            {
                Assert.Null(p.CandidateReplicas);
                Assert.Equal(2, p.Samples.Count);
                Assert.Equal(T0.AddSeconds(2), p.WakeAt);
            }),
        ["a canary replica exited, even while paused: aborted"] = new(
            Input(Canary(Weight(25), Pause()), Progress(step: 1, weight: 25), state: RolloutStates.Paused, exited: new ExitedReplica("s_web.1.ab", 3, "boom")), ProgressiveOutcome.Aborted, ["aborted"],
            p => Assert.Equal("s_web.1.ab (release 2) exited (code 3): boom", p.Rollout.Reason)),
        ["the router lags the saved weight: holds, nothing measured"] = new(
            Input(CanaryWithBackground(Weight(25), Pause(300)), Progress(step: 1, weight: 25, phase: RolloutPhases.Stepping) with { BackgroundAnalysis = new AnalysisTally { LastAt = T0 } }, seconds: 10, ready: [1], routerLag: "port taken"),
            ProgressiveOutcome.Waiting, [],
            p => Assert.Equal(0, p.Rollout.Progress!.BackgroundAnalysis.Measurements)),
        ["the router lags past the deadline: aborted naming it"] = new(
            Input(Canary(Weight(25), Pause(300)), Progress(step: 1, weight: 25, phase: RolloutPhases.Stepping), seconds: 120, ready: [1], routerLag: "port taken"),
            ProgressiveOutcome.Aborted, ["aborted"],
            p => Assert.Equal("progress_deadline 2m passed: port taken", p.Rollout.Reason)),
        ["switched, before scale_down_delay: waits for it"] = new(
            Input(Canary(Weight(25)), Progress(step: 1, weight: 100, phase: RolloutPhases.Promoted) with { ScaleDownAt = T0.AddSeconds(30) }, seconds: 10, serviceRelease: 2), ProgressiveOutcome.Waiting, [],
            p => Assert.False(p.ScaleDownStable)),
        ["switched, scale_down_delay over: old release scaled down, completed"] = new(
            Input(Canary(Weight(25)), Progress(step: 1, weight: 100, phase: RolloutPhases.Promoted) with { ScaleDownAt = T0.AddSeconds(30) }, seconds: 30, serviceRelease: 2), ProgressiveOutcome.Completed, ["completed"],
            p =>
            {
                Assert.True(p.ScaleDownStable);
                Assert.Equal((RolloutStates.Completed, RolloutPhases.Done), (p.Rollout.State, p.Rollout.Progress!.Phase));
                Assert.Null(p.WakeAt);
                Assert.Empty(p.Samples);
            }),
    };

    public static TheoryData<string> Names => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(Names))]
    public void Plan_Transition(string name)
    {
        var (input, outcome, decisions, check) = Cases[name];

        var plan = CanaryPlanner.Plan(input);

        Assert.Equal(outcome, plan.Outcome);
        Assert.Equal(decisions, plan.Decisions.Select(d => d.Kind).ToArray());
        Assert.All(plan.Decisions, d => Assert.Equal((7L, input.Now), (d.RolloutId, d.At)));
        Assert.Equal(RouteSplit.Of(plan.Stable switch { StableChange.Switch => 2, StableChange.FlipBack => 1, _ => input.ServiceRelease }, plan.Rollout, input.Strategy), plan.Route);
        check?.Invoke(plan);
    }

    [Fact]
    public void Plan_NothingChanged_WritesNothing()
    {
        var input = Input(Canary(Weight(25), Pause(30)), Progress(step: 1, weight: 25, phase: RolloutPhases.Stepping) with { LastSampleAt = T0.AddSeconds(10), CandidateReplicas = 1 }, seconds: 10.5, ready: [1]);

        var plan = CanaryPlanner.Plan(input);

        Assert.False(plan.HasWrites);
        Assert.Same(input.Rollout, plan.Rollout);
    }

    [Fact]
    public void Plan_SameInput_SamePlan()
    {
        var input = Input(CanaryWithBackground(Weight(25), AnalysisStep()), Progress(step: 1, weight: 25, phase: RolloutPhases.Stepping) with { StepAnalysis = new AnalysisTally { LastAt = T0 }, BackgroundAnalysis = new AnalysisTally { LastAt = T0 } }, seconds: 10, ready: [1]);

        var first = CanaryPlanner.Plan(input);
        var second = CanaryPlanner.Plan(input);

        Assert.Equal(first.Rollout, second.Rollout);
        Assert.Equal(first.Decisions.Select(d => (d.Kind, d.Message)), second.Decisions.Select(d => (d.Kind, d.Message)));
    }

    [Theory]
    [InlineData(0, 4, null, 0)]
    [InlineData(10, 4, null, 1)]
    [InlineData(25, 4, null, 1)]
    [InlineData(50, 4, null, 2)]
    [InlineData(100, 4, null, 4)]
    [InlineData(50, 4, 3, 3)]
    public void ReplicasFor_SizedToTheWeightUnlessFixed(int weight, int desired, int? fixedReplicas, int expected) =>
        Assert.Equal(expected, CanaryPlanner.ReplicasFor(weight, desired, fixedReplicas));
}
