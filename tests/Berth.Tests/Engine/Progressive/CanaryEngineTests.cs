using System.Diagnostics;
using Berth.Engine.Progressive;
using Berth.Store;
using Berth.Tests.Engine.Fakes;

namespace Berth.Tests.Engine.Progressive;

/// <summary>
/// Whole canary rollouts through the real reconciler and SQLite store, with a fake runtime, router, KPIs and clock:
/// every step kind, analysis outcomes, commands, deadline, restarts and a router that fails — no sleeps, no processes.
/// After every pass the rig checks that the router serves the split the saved state implies.
/// </summary>
public sealed class CanaryEngineTests : IDisposable
{
    private const string EveryStep = """
        strategy: canary
        canary:
          steps:
            - weight: 25
            - pause: 30s
            - replicas: 2
            - match: {header: X-Beta, value: "yes"}
            - weight: 50
            - analysis: {interval: 5s, count: 2, min_requests: 5}
            - pause: {}
          analysis:
            interval: 10s
            min_requests: 5
            metrics:
              - {name: error_rate, max: 5%}
        """;

    private const string WeightThenLongPause = """
        strategy: canary
        canary:
          steps:
            - weight: 25
            - pause: 10m
            - weight: 100
          progress_deadline: 2m
          analysis:
            interval: 10s
            min_requests: 5
        """;

    private readonly EngineRig _rig = new(replicas: 4);

    public void Dispose() => _rig.Dispose();

    private async Task DeployV1AndCanaryAsync(string strategy)
    {
        await _rig.DeployV1Async(strategy);
        _rig.Kpis.Set(1, perSecond: 100);
        _rig.Kpis.Set(2, perSecond: 20);
        await _rig.DeployAsync("2", strategy);
    }

    [Fact]
    public async Task EveryStepKind_EachMoveReachesTheRouterInItsOwnPass_PromotedAndOldReleaseScaledDown()
    {
        var clock = Stopwatch.StartNew();
        await DeployV1AndCanaryAsync(EveryStep);

        // Weight 25 needs one canary replica: started in the first pass, the weight follows once it is ready.
        await _rig.SettleAsync();
        Assert.Single(_rig.Driver.LiveOf(2));
        await _rig.AdvanceAsync(TimeSpan.FromSeconds(1));
        Assert.Equal(25, _rig.Router.SplitOf(EngineRig.Service)!.Weight);

        var paused = await _rig.RunUntilAsync(r => r.State == RolloutStates.Paused, TimeSpan.FromMinutes(2));
        Assert.Contains("paused until `berth promote shop_app`", paused.Reason, StringComparison.Ordinal);
        var split = _rig.Router.SplitOf(EngineRig.Service)!;
        Assert.Equal((50, "X-Beta", "yes"), (split.Weight, split.Match!.Header, split.Match.Value));
        Assert.Equal(2, _rig.Driver.LiveOf(2).Count);

        await _rig.Commands.PromoteAsync(EngineRig.Service, full: false, "alice", CancellationToken.None);
        var done = await _rig.RunUntilAsync(r => !r.IsActive, TimeSpan.FromMinutes(1));

        Assert.Equal(RolloutStates.Completed, done.State);
        Assert.Equal(2, (await _rig.ServiceAsync()).Release);
        Assert.Equal(4, _rig.Driver.LiveOf(2).Count);
        Assert.Empty(_rig.Driver.LiveOf(1));
        Assert.Equal([0, 25, 50], _rig.Router.WeightsOf(EngineRig.Service));
        Assert.Equal(new RouteSplit(2, null, null, 0, null, null), _rig.Router.SplitOf(EngineRig.Service));
        var kinds = (await _rig.DecisionsAsync(done.Id)).Select(d => d.Kind).Where(k => !k.StartsWith("analysis.", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            ["weight", "step.done", "replicas", "match", "weight", "step.done", "paused", "promote.requested", "step.done", "scaling_up", "promoted", "completed"],
            kinds);
        var messages = (await _rig.DecisionsAsync(done.Id)).Select(d => d.Message).ToList();
        Assert.Contains("step 4/7: only requests with header X-Beta=yes may reach release 2", messages);
        Assert.Contains("step 6/7: analysis passed (2 measurements: 2 passed)", messages);
        Assert.Contains("step 7/7 (pause (until promote)) ended by berth promote", messages);
        Assert.Contains("promotion requested by alice", messages);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"took {clock.Elapsed.TotalMilliseconds:0} ms and {_rig.Passes} passes");
    }

    [Fact]
    public async Task WeightNotYetAcknowledgedByTheRouters_TheNextStepCountsOnlyFromTheAck()
    {
        await DeployV1AndCanaryAsync(WeightThenLongPause);
        await _rig.SettleAsync();
        _rig.CheckRouterAfterEachPass = false;
        _rig.Router.WithholdAcks();

        // The pass that sets weight 25 waits for the routers; a minute goes by before the last one acknowledges.
        _rig.Time.Advance(TimeSpan.FromSeconds(1));
        var pass = _rig.SettleAsync();
        await _rig.Router.Withheld.WaitAsync(TimeSpan.FromSeconds(10));
        _rig.Time.Advance(TimeSpan.FromMinutes(1));
        var acknowledgedAt = _rig.Time.GetUtcNow();
        _rig.Router.Acknowledge();
        await pass.WaitAsync(TimeSpan.FromSeconds(10));
        _rig.CheckRouterAfterEachPass = true;
        await _rig.SettleAsync();

        var rollout = await _rig.LatestAsync();
        Assert.Equal(25, _rig.Router.SplitOf(EngineRig.Service)!.Weight);
        Assert.Equal(1, rollout.Progress!.Step);
        Assert.True(rollout.Progress.StepStartedAt >= acknowledgedAt, $"the 10 m pause started at {rollout.Progress.StepStartedAt:O}, before the routers acknowledged weight 25 at {acknowledgedAt:O}");
        await _rig.AdvanceAsync(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(1));
        Assert.Equal(25, _rig.Router.SplitOf(EngineRig.Service)!.Weight);
    }

    [Fact]
    public async Task SamplesEverySecond_MeasurementsCiteTheSamplesShown()
    {
        await DeployV1AndCanaryAsync(EveryStep);
        await _rig.RunUntilAsync(r => r.State == RolloutStates.Paused, TimeSpan.FromMinutes(2));
        var rollout = await _rig.LatestAsync();

        var report = await _rig.Queries.GetReportAsync(EngineRig.Service, release: null, CancellationToken.None);

        var candidate = report.Samples.Where(s => s.Role == "candidate").ToList();
        var gaps = candidate.Zip(candidate.Skip(1), (a, b) => b.At - a.At).ToList();
        Assert.All(gaps, gap => Assert.True(gap <= TimeSpan.FromSeconds(1), $"a {gap.TotalSeconds} s gap between samples"));
        var measurements = report.Timeline.Where(d => d.Kind.StartsWith("analysis.", StringComparison.Ordinal)).ToList();
        Berth.Api.RolloutSampleInfo Cited(Berth.Api.RolloutDecisionInfo m) =>
            Assert.Single(candidate, s => s.At == m.At && Berth.Engine.DurationText.Format(TimeSpan.FromSeconds(s.WindowSeconds)) == m.Data["window"]);
        Assert.NotEmpty(measurements);
        foreach (var measurement in measurements)
        {
            var window = Berth.Engine.DurationText.Format(TimeSpan.FromSeconds(Cited(measurement).WindowSeconds));
            Assert.Equal(measurement.Data["window"], window);
            Assert.Equal(measurement.Data["requests"], Cited(measurement).Requests.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(measurement.Data["weight"], Cited(measurement).Weight.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        Assert.Equal(rollout.Id, report.Rollout.Id);
    }

    [Fact]
    public async Task BackgroundAnalysisFails_AbortedWithItsNumbers_WeightZeroBeforeTheCanaryStops()
    {
        await DeployV1AndCanaryAsync(WeightThenLongPause);
        _rig.Kpis.Set(2, perSecond: 20, errorRate: 0.2);

        var aborted = await _rig.RunUntilAsync(r => !r.IsActive, TimeSpan.FromMinutes(1));

        Assert.Equal(RolloutStates.Aborted, aborted.State);
        Assert.Contains("background analysis failed 1 time(s) in 1 measurement (failure_limit 0)", aborted.Reason, StringComparison.Ordinal);
        Assert.Contains("error_rate 20 % > 5 %", aborted.Reason, StringComparison.Ordinal);
        Assert.Equal(1, (await _rig.ServiceAsync()).Release);
        Assert.Empty(_rig.Driver.LiveOf(2));
        Assert.Equal(4, _rig.Driver.LiveOf(1).Count);
        Assert.Equal(new RouteSplit(1, null, null, 0, null, null), _rig.Router.SplitOf(EngineRig.Service));

        // The canary left the route (weight 0) before its replica was stopped.
        var canaryReplica = Assert.Single(_rig.Driver.Started, s => s.Release == 2).ReplicaId;
        var lastRouteWithIt = _rig.Router.Applied.FindLastIndex(r => r.Candidate?.Destinations.Any(d => d.ReplicaId == canaryReplica) == true);
        var firstWithout = _rig.Router.Applied.FindIndex(lastRouteWithIt, r => r.Candidate is null);
        Assert.True(firstWithout > lastRouteWithIt);
        var timeline = await _rig.DecisionsAsync(aborted.Id);
        var failed = Assert.Single(timeline, d => d.Kind == "analysis.failed");
        Assert.Equal("200", failed.Data["requests"]);
        Assert.Equal("aborted", timeline[^1].Kind);
        Assert.Equal(failed.At, timeline[^1].At);
    }

    [Fact]
    public async Task BackgroundAnalysisInconclusive_PausedWithCountsThatAgree_ResumeStartsANewRun()
    {
        await DeployV1AndCanaryAsync(WeightThenLongPause);
        _rig.Kpis.Set(2, perSecond: 0);

        var paused = await _rig.RunUntilAsync(r => r.State == RolloutStates.Paused, TimeSpan.FromMinutes(1));

        Assert.StartsWith("background analysis inconclusive 1 time(s) in 1 measurement (inconclusive_limit 0)", paused.Reason, StringComparison.Ordinal);
        var status = await _rig.Queries.GetLatestAsync(EngineRig.Service, CancellationToken.None);
        Assert.Equal(new Berth.Api.AnalysisTallyInfo(1, 0, 1), status.Progress!.BackgroundAnalysis);

        _rig.Kpis.Set(2, perSecond: 20);
        await _rig.Commands.ResumeAsync(EngineRig.Service, "bob", CancellationToken.None);
        await _rig.SettleAsync();
        Assert.Equal(new AnalysisTally { LastAt = _rig.Time.GetUtcNow() }, (await _rig.LatestAsync()).Progress!.BackgroundAnalysis);
        await _rig.AdvanceAsync(TimeSpan.FromSeconds(10));

        var rollout = await _rig.LatestAsync();
        Assert.Equal(RolloutStates.Updating, rollout.State);
        Assert.Equal(1, rollout.Progress!.BackgroundAnalysis.Measurements);
        var timeline = await _rig.DecisionsAsync(rollout.Id);
        Assert.Equal(["analysis.inconclusive", "paused", "resumed", "analysis.passed"], timeline.Select(d => d.Kind).SkipWhile(k => k != "analysis.inconclusive").ToList());
        Assert.Equal("resumed by bob", Assert.Single(timeline, d => d.Kind == "resumed").Message);
    }

    [Fact]
    public async Task PromoteFull_SkipsEveryRemainingStep_ScaledUpThenSwitched()
    {
        await DeployV1AndCanaryAsync(WeightThenLongPause);
        await _rig.RunUntilAsync(r => r.Progress!.Weight == 25, TimeSpan.FromMinutes(1));

        await _rig.Commands.PromoteAsync(EngineRig.Service, full: true, "alice", CancellationToken.None);
        var done = await _rig.RunUntilAsync(r => !r.IsActive, TimeSpan.FromMinutes(1));

        Assert.Equal(RolloutStates.Completed, done.State);
        Assert.Equal(2, (await _rig.ServiceAsync()).Release);
        var timeline = await _rig.DecisionsAsync(done.Id);
        Assert.Contains(timeline, d => d.Kind == "scaling_up" && d.Message.StartsWith("promote --full: steps 2–3 skipped", StringComparison.Ordinal));
        Assert.DoesNotContain(timeline, d => d.Kind == "weight" && d.Data["weight"] == "100");
        Assert.Equal([0, 25], _rig.Router.WeightsOf(EngineRig.Service));
    }

    [Fact]
    public async Task AbortCommand_WeightZeroAndCanaryStopped_TimelineNamesWhoAborted()
    {
        await DeployV1AndCanaryAsync(WeightThenLongPause);
        await _rig.RunUntilAsync(r => r.Progress!.Weight == 25, TimeSpan.FromMinutes(1));

        await _rig.Commands.AbortAsync(EngineRig.Service, "carol", CancellationToken.None);
        await _rig.SettleAsync();

        var rollout = await _rig.LatestAsync();
        Assert.Equal(("aborted", "aborted by carol"), (rollout.State, rollout.Reason));
        Assert.Empty(_rig.Driver.LiveOf(2));
        Assert.Equal(new RouteSplit(1, null, null, 0, null, null), _rig.Router.SplitOf(EngineRig.Service));
        var entry = (await _rig.DecisionsAsync(rollout.Id))[^1];
        Assert.Equal(("aborted", "carol"), (entry.Kind, entry.Data["by"]));
    }

    [Fact]
    public async Task ProgressDeadline_CanaryNeverReady_AbortedNamingTheCounts()
    {
        await _rig.DeployV1Async(WeightThenLongPause);
        _rig.Driver.StartReady = false;
        await _rig.DeployAsync("2", WeightThenLongPause);

        var aborted = await _rig.RunUntilAsync(r => !r.IsActive, TimeSpan.FromMinutes(5), step: TimeSpan.FromSeconds(30));

        Assert.Equal(RolloutStates.Aborted, aborted.State);
        Assert.Equal("progress_deadline 2m passed: 0/1 replicas of release 2 ready", aborted.Reason);
        Assert.Empty(_rig.Driver.LiveOf(2));
        Assert.Equal(1, (await _rig.ServiceAsync()).Release);
    }

    [Fact]
    public async Task CanaryReplicaExits_Aborted()
    {
        await DeployV1AndCanaryAsync(WeightThenLongPause);
        await _rig.RunUntilAsync(r => r.Progress!.Weight == 25, TimeSpan.FromMinutes(1));

        _rig.Driver.Exit(_rig.Driver.LiveOf(2).Single().ReplicaId, 3, "out of memory");
        await _rig.SettleAsync();

        var rollout = await _rig.LatestAsync();
        Assert.Equal(RolloutStates.Aborted, rollout.State);
        Assert.Matches(@"^shop_app\.1\.[0-9a-f]+ \(release 2\) exited \(code 3\): out of memory$", rollout.Reason);
        Assert.Equal(0, _rig.Router.SplitOf(EngineRig.Service)!.Weight);
    }

    [Fact]
    public async Task ServerRestartMidPause_ResumesAtTheSameStepAndWeight_PauseCountsFromItsStart()
    {
        await DeployV1AndCanaryAsync(EveryStep);
        var weighted = await _rig.RunUntilAsync(r => r.Progress!.Weight == 25, TimeSpan.FromMinutes(1));
        var pauseStarted = weighted.Progress!.StepStartedAt;
        var canary = _rig.Driver.LiveOf(2).Single().ReplicaId;
        await _rig.AdvanceAsync(TimeSpan.FromSeconds(10));

        await _rig.RestartServerAsync();
        Assert.Null(_rig.Router.SplitOf(EngineRig.Service));
        await _rig.SettleAsync();

        Assert.Equal(25, _rig.Router.SplitOf(EngineRig.Service)!.Weight);
        Assert.Equal([canary], _rig.Driver.LiveOf(2).Select(r => r.ReplicaId).ToList());
        var next = await _rig.RunUntilAsync(r => r.Progress!.Step >= 2, TimeSpan.FromMinutes(1));
        var pauseOver = (await _rig.DecisionsAsync(next.Id)).Single(d => d.Message == "step 2/7: pause 30s over");
        Assert.Equal(pauseStarted + TimeSpan.FromSeconds(30), pauseOver.At);
    }

    [Fact]
    public async Task RouteApplyThrows_TheSavedWeightIsAppliedAgainBeforeAnyNewStep()
    {
        await DeployV1AndCanaryAsync(WeightThenLongPause);
        await _rig.SettleAsync();
        _rig.CheckRouterAfterEachPass = false;
        _rig.Router.ThrowNext = 1;

        // The pass that decides weight 25 saves it, then the route apply throws: the engine retries the pass.
        _rig.Time.Advance(TimeSpan.FromSeconds(1));
        await Assert.ThrowsAsync<HttpRequestException>(() => _rig.PassAsync());
        var saved = await _rig.LatestAsync();
        Assert.Equal(25, saved.Progress!.Weight);
        Assert.Equal(0, _rig.Router.SplitOf(EngineRig.Service)!.Weight);
        Assert.Single(await _rig.DecisionsAsync(saved.Id), d => d.Kind == "weight");

        _rig.CheckRouterAfterEachPass = true;
        await _rig.SettleAsync();
        Assert.Equal(25, _rig.Router.SplitOf(EngineRig.Service)!.Weight);
        Assert.Equal([0, 25], _rig.Router.WeightsOf(EngineRig.Service));
    }

    [Fact]
    public async Task RouterRefusesTheRoute_RolloutHolds_ThenAbortedAtTheProgressDeadline()
    {
        await DeployV1AndCanaryAsync(WeightThenLongPause);
        await _rig.SettleAsync();
        _rig.Router.RefuseWith = "service shop_app: cannot listen on 127.0.0.1:9: the port is already in use by another program";

        var rollout = await _rig.RunUntilAsync(r => !r.IsActive, TimeSpan.FromMinutes(5), step: TimeSpan.FromSeconds(30));

        Assert.Equal(RolloutStates.Aborted, rollout.State);
        Assert.Contains("progress_deadline 2m passed: the router has not taken the route (weight 25 to release 2)", rollout.Reason, StringComparison.Ordinal);
        var timeline = await _rig.DecisionsAsync(rollout.Id);
        Assert.DoesNotContain(timeline, d => d.Kind.StartsWith("analysis.", StringComparison.Ordinal));
        Assert.Contains("router.error", await _rig.EventKindsAsync());
    }

    [Fact]
    public async Task CommandLandsWhileAPassPlans_TheCommandWins_PassWritesNothing()
    {
        await DeployV1AndCanaryAsync(WeightThenLongPause);
        var weighted = await _rig.RunUntilAsync(r => r.Progress!.Weight == 25, TimeSpan.FromMinutes(1));
        var before = (await _rig.DecisionsAsync(weighted.Id)).Count;
        _rig.Kpis.OnRead = () =>
        {
            _rig.Kpis.OnRead = null;
            _rig.Commands.PauseAsync(EngineRig.Service, "dave", CancellationToken.None).GetAwaiter().GetResult();
        };

        _rig.Time.Advance(TimeSpan.FromSeconds(10));
        await _rig.PassAsync();

        var rollout = await _rig.LatestAsync();
        Assert.Equal(("paused", "paused by dave"), (rollout.State, rollout.Reason));
        Assert.Equal(weighted.Progress!.BackgroundAnalysis, rollout.Progress!.BackgroundAnalysis);
        var timeline = await _rig.DecisionsAsync(rollout.Id);
        Assert.Equal(before + 1, timeline.Count);
        Assert.Equal("paused", timeline[^1].Kind);
    }

    [Fact]
    public async Task Retry_AfterAbort_StartsAgainFromTheFirstStep_AsANewRollout()
    {
        await DeployV1AndCanaryAsync(WeightThenLongPause);
        _rig.Kpis.Set(2, perSecond: 20, errorRate: 0.5);
        var aborted = await _rig.RunUntilAsync(r => !r.IsActive, TimeSpan.FromMinutes(1));
        _rig.Kpis.Set(2, perSecond: 20);

        var retried = await _rig.Commands.RetryAsync(EngineRig.Service, "erin", CancellationToken.None);
        await _rig.RunUntilAsync(r => r.Progress!.Weight == 25, TimeSpan.FromMinutes(1));

        Assert.NotEqual(aborted.Id, retried.Id);
        Assert.Equal((1, 2, RolloutStates.Updating), (retried.FromRelease, retried.ToRelease, retried.State));
        var first = (await _rig.DecisionsAsync(retried.Id))[0];
        Assert.Equal(("retried", "erin"), (first.Kind, first.Data["by"]));
        Assert.Equal(RolloutStates.Aborted, (await _rig.Store.ReadAsync(tx => tx.GetRolloutAsync(aborted.Id, CancellationToken.None), CancellationToken.None))!.State);
        var problem = await Assert.ThrowsAsync<Berth.Api.ProblemException>(() => _rig.Commands.RetryAsync(EngineRig.Service, "erin", CancellationToken.None));
        Assert.Contains("only an aborted blue/green or canary rollout can be retried", problem.Message, StringComparison.Ordinal);
    }
}
