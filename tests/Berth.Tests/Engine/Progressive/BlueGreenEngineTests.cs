using System.Diagnostics;
using Berth.Engine.Progressive;
using Berth.Store;
using Berth.Tests.Engine.Fakes;

namespace Berth.Tests.Engine.Progressive;

/// <summary>
/// Whole blue/green rollouts through the real reconciler and SQLite store with fakes: preview, smoke gate, manual and
/// automatic promotion, scale-down delay, post-promotion flip-back, rollback — no sleeps, no processes.
/// </summary>
public sealed class BlueGreenEngineTests : IDisposable
{
    private const int PreviewPort = 18081;

    private readonly EngineRig _rig = new(replicas: 3);

    public void Dispose() => _rig.Dispose();

    private static string Strategy(bool autoPromote = false, string preSmoke = "curl -fsS $$BERTH_PREVIEW_URL/healthz", string? postAnalysis = null, string? preAnalysis = null) => $$"""
        strategy: blue-green
        blue_green:
          preview_port: {{PreviewPort}}
          auto_promote: {{(autoPromote ? "true" : "false")}}
          scale_down_delay: 30s
          pre_promotion:
            smoke: {{preSmoke}}
        {{(preAnalysis is null ? "" : "    analysis: " + preAnalysis)}}
        {{(postAnalysis is null ? "" : "  post_promotion:\n    analysis: " + postAnalysis)}}
        """;

    private async Task DeployGreenAsync(string strategy)
    {
        await _rig.DeployV1Async(strategy);
        _rig.Kpis.Set(1, perSecond: 100);
        _rig.Kpis.Set(2, perSecond: 100);
        await _rig.DeployAsync("2", strategy);
    }

    /// <summary>Runs until green is up and its smoke command runs; returns the rollout.</summary>
    private async Task<RolloutRecord> UntilSmokeRunsAsync()
    {
        var rollout = await _rig.RunUntilAsync(_ => !_rig.Smoke.Started.IsEmpty, TimeSpan.FromMinutes(1));
        Assert.Equal(RolloutPhases.PrePromotion, rollout.Progress!.Phase);
        return rollout;
    }

    [Fact]
    public async Task PreviewSmokePassesManualPromote_SwitchAtOnce_BlueKeptForTheDelayThenScaledDown()
    {
        var clock = Stopwatch.StartNew();
        await DeployGreenAsync(Strategy());

        var rollout = await UntilSmokeRunsAsync();
        Assert.Equal(new RouteSplit(1, 2, "green", 0, null, PreviewPort), _rig.Router.SplitOf(EngineRig.Service));
        Assert.Equal(3, _rig.Router.Current(EngineRig.Service)!.Candidate!.Destinations.Count);
        var (_, smoke) = Assert.Single(_rig.Smoke.Started);
        Assert.Equal("curl -fsS $BERTH_PREVIEW_URL/healthz", smoke.Command);
        Assert.Equal($"http://127.0.0.1:{PreviewPort}", smoke.Environment["BERTH_PREVIEW_URL"]);
        Assert.Equal(("shop_app", "2"), (smoke.Environment["BERTH_SERVICE"], smoke.Environment["BERTH_RELEASE"]));

        _rig.Smoke.Finish(rollout.Id, 0);
        var waiting = await _rig.RunUntilAsync(r => r.State == RolloutStates.Paused, TimeSpan.FromMinutes(1));
        Assert.Equal($"green (release 2) is ready: preview it on port {PreviewPort}, then switch with `berth promote shop_app`", waiting.Reason);
        Assert.Null(_rig.Smoke.StatusOf(rollout.Id));

        await _rig.Commands.PromoteAsync(EngineRig.Service, full: false, "alice", CancellationToken.None);
        await _rig.SettleAsync();
        Assert.Equal(2, (await _rig.ServiceAsync()).Release);
        Assert.Equal(new RouteSplit(2, null, null, 0, null, null), _rig.Router.SplitOf(EngineRig.Service));
        Assert.Equal(3, _rig.Driver.LiveOf(1).Count);

        var done = await _rig.RunUntilAsync(r => !r.IsActive, TimeSpan.FromMinutes(1));
        Assert.Equal(RolloutStates.Completed, done.State);
        Assert.Empty(_rig.Driver.LiveOf(1));
        Assert.Equal(3, _rig.Driver.LiveOf(2).Count);
        var timeline = await _rig.DecisionsAsync(done.Id);
        Assert.Equal(["green.ready", "gate.smoke", "paused", "promote.requested", "switch", "promoted", "completed"], timeline.Select(d => d.Kind).ToList());
        var promoted = timeline.Single(d => d.Kind == "promoted");
        Assert.Equal(promoted.At + TimeSpan.FromSeconds(30), timeline[^1].At);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"took {clock.Elapsed.TotalMilliseconds:0} ms and {_rig.Passes} passes");
    }

    [Fact]
    public async Task Promote_TheCommandItselfSwitchesTheRouter_NoPassInBetween_ReplicasLeftToTheNextPass()
    {
        await DeployGreenAsync(Strategy());
        var rollout = await UntilSmokeRunsAsync();
        _rig.Smoke.Finish(rollout.Id, 0);
        await _rig.RunUntilAsync(r => r.State == RolloutStates.Paused, TimeSpan.FromMinutes(1));
        var passes = _rig.Passes;
        var applied = _rig.Router.Applied.Count;

        var answered = await _rig.Commands.PromoteAsync(EngineRig.Service, full: false, "alice", CancellationToken.None);

        // When the call returns, the switch is saved and the router serves green alone: no engine pass ran.
        Assert.Equal(passes, _rig.Passes);
        Assert.Equal(2, (await _rig.ServiceAsync()).Release);
        Assert.Equal(RolloutPhases.Promoted, (await _rig.LatestAsync()).Progress!.Phase);
        Assert.Equal(new RouteSplit(2, null, null, 0, null, null), _rig.Router.SplitOf(EngineRig.Service));
        Assert.Equal(applied + 1, _rig.Router.Applied.Count);
        Assert.True(answered.Progress!.PromoteRequested);
        var timeline = await _rig.DecisionsAsync(rollout.Id);
        Assert.Equal(["promote.requested", "switch", "promoted"], timeline.TakeLast(3).Select(d => d.Kind).ToList());

        // Blue's replicas stay until scale_down_delay, as before: the next passes carry that out.
        Assert.Equal(3, _rig.Driver.LiveOf(1).Count);
        var done = await _rig.RunUntilAsync(r => !r.IsActive, TimeSpan.FromMinutes(1));
        Assert.Equal(RolloutStates.Completed, done.State);
        Assert.Empty(_rig.Driver.LiveOf(1));
    }

    [Fact]
    public async Task RollbackAfterTheSwitch_TheCommandItselfSendsTrafficBackToBlue_GreenStoppedByTheNextPass()
    {
        await DeployGreenAsync(Strategy(autoPromote: true));
        var rollout = await UntilSmokeRunsAsync();
        _rig.Smoke.Finish(rollout.Id, 0);
        await _rig.AdvanceAsync(TimeSpan.FromSeconds(1));
        Assert.Equal(new RouteSplit(2, null, null, 0, null, null), _rig.Router.SplitOf(EngineRig.Service));
        var passes = _rig.Passes;

        await _rig.Commands.RollbackAsync(EngineRig.Service, null, "frank", CancellationToken.None);

        Assert.Equal(passes, _rig.Passes);
        Assert.Equal(new RouteSplit(1, null, null, 0, null, null), _rig.Router.SplitOf(EngineRig.Service));
        Assert.Equal(3, _rig.Router.Current(EngineRig.Service)!.Stable.Destinations.Count(d => d.Release == 1));
        Assert.DoesNotContain(_rig.Router.Current(EngineRig.Service)!.Stable.Destinations, d => d.Release == 2);
        Assert.Equal(3, _rig.Driver.LiveOf(2).Count);
        await _rig.SettleAsync();
        Assert.Empty(_rig.Driver.LiveOf(2));
    }

    [Fact]
    public async Task SmokeFails_AbortedWithItsLastLine_GreenRemoved_BlueUntouched()
    {
        await DeployGreenAsync(Strategy());
        var rollout = await UntilSmokeRunsAsync();

        _rig.Smoke.Finish(rollout.Id, 22, "curl: (22) The requested URL returned error: 503\n");
        await _rig.AdvanceAsync(TimeSpan.FromSeconds(1));

        rollout = await _rig.LatestAsync();
        Assert.Equal(RolloutStates.Aborted, rollout.State);
        Assert.Equal("pre-promotion gate: smoke command failed (exit code 22): curl: (22) The requested URL returned error: 503", rollout.Reason);
        Assert.Empty(_rig.Driver.LiveOf(2));
        Assert.Equal(3, _rig.Driver.LiveOf(1).Count);
        Assert.DoesNotContain(_rig.Driver.Stopped, id => id.Contains(".1.", StringComparison.Ordinal) && _rig.Driver.Started.Any(s => s.ReplicaId == id && s.Release == 1));
        Assert.Equal(new RouteSplit(1, null, null, 0, null, null), _rig.Router.SplitOf(EngineRig.Service));
        var aborted = (await _rig.DecisionsAsync(rollout.Id))[^1];
        Assert.Equal(("aborted", "22"), (aborted.Kind, aborted.Data["exit_code"]));
    }

    [Fact]
    public async Task AutoPromote_SwitchesAsSoonAsTheGatePasses()
    {
        await DeployGreenAsync(Strategy(autoPromote: true));
        var rollout = await UntilSmokeRunsAsync();

        _rig.Smoke.Finish(rollout.Id, 0);
        await _rig.AdvanceAsync(TimeSpan.FromSeconds(1));

        Assert.Equal(2, (await _rig.ServiceAsync()).Release);
        var timeline = await _rig.DecisionsAsync(rollout.Id);
        Assert.Equal("switching to green (release 2) by auto_promote", timeline.Single(d => d.Kind == "switch").Message);
    }

    [Fact]
    public async Task PostPromotionAnalysisFails_FlipsBackToBlue_GreenStoppedAfterwards()
    {
        await DeployGreenAsync(Strategy(autoPromote: true, postAnalysis: "{interval: 5s, count: 2, min_requests: 5}"));
        var rollout = await UntilSmokeRunsAsync();
        _rig.Smoke.Finish(rollout.Id, 0);
        await _rig.AdvanceAsync(TimeSpan.FromSeconds(1));
        Assert.Equal(2, (await _rig.ServiceAsync()).Release);

        _rig.Kpis.Set(2, perSecond: 100, errorRate: 0.5);
        var aborted = await _rig.RunUntilAsync(r => !r.IsActive, TimeSpan.FromMinutes(1));

        Assert.Equal(RolloutStates.Aborted, aborted.State);
        Assert.StartsWith("post-promotion analysis failed 1 time(s) in 1 measurement", aborted.Reason, StringComparison.Ordinal);
        Assert.Equal(1, (await _rig.ServiceAsync()).Release);
        Assert.Equal(new RouteSplit(1, null, null, 0, null, null), _rig.Router.SplitOf(EngineRig.Service));
        Assert.Equal(3, _rig.Driver.LiveOf(1).Count);
        Assert.Empty(_rig.Driver.LiveOf(2));
        var entry = (await _rig.DecisionsAsync(aborted.Id))[^1];
        Assert.StartsWith("aborted (traffic back on release 1): post-promotion analysis failed", entry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RollbackWithinTheScaleDownDelay_BlueServesAgainInOnePass()
    {
        await DeployGreenAsync(Strategy(autoPromote: true));
        var rollout = await UntilSmokeRunsAsync();
        _rig.Smoke.Finish(rollout.Id, 0);
        await _rig.AdvanceAsync(TimeSpan.FromSeconds(1));
        var startsBefore = _rig.Driver.Started.Count;

        await _rig.Commands.RollbackAsync(EngineRig.Service, null, "frank", CancellationToken.None);
        await _rig.PassAsync();

        // The switch reversed, not a rolling update: blue (still up) takes the traffic in that pass, green goes.
        Assert.Equal(1, (await _rig.ServiceAsync()).Release);
        Assert.Equal(new RouteSplit(1, null, null, 0, null, null), _rig.Router.SplitOf(EngineRig.Service));
        Assert.Equal(startsBefore, _rig.Driver.Started.Count);
        Assert.Empty(_rig.Driver.LiveOf(2));
        Assert.Equal(3, _rig.Driver.LiveOf(1).Count);
        await _rig.SettleAsync();
        Assert.Equal(startsBefore, _rig.Driver.Started.Count);
        var decision = (await _rig.DecisionsAsync(rollout.Id))[^1];
        Assert.Equal(
            ("aborted", "rolled back by frank: traffic back on release 1, still running since the switch to release 2"),
            (decision.Kind, decision.Message));
        Assert.Equal(RolloutStates.Aborted, (await _rig.LatestAsync()).State);
    }

    [Fact]
    public async Task PrePromotionAnalysisInconclusive_Paused_PromoteGoesOn()
    {
        await DeployGreenAsync(Strategy(preAnalysis: "{interval: 5s, count: 2, min_requests: 5}"));
        _rig.Kpis.Set(2, perSecond: 0);
        var rollout = await UntilSmokeRunsAsync();
        _rig.Smoke.Finish(rollout.Id, 0);

        var paused = await _rig.RunUntilAsync(r => r.State == RolloutStates.Paused, TimeSpan.FromMinutes(1));
        Assert.StartsWith("analysis inconclusive 1 time(s) in 1 measurement", paused.Reason, StringComparison.Ordinal);

        await _rig.Commands.PromoteAsync(EngineRig.Service, full: false, "alice", CancellationToken.None);
        await _rig.SettleAsync();

        Assert.Equal(2, (await _rig.ServiceAsync()).Release);
        var kinds = (await _rig.DecisionsAsync(rollout.Id)).Select(d => d.Kind).ToList();
        Assert.Equal(["green.ready", "gate.smoke", "analysis.inconclusive", "paused", "promote.requested", "gate.skipped", "switch", "promoted"], kinds);
    }

    [Fact]
    public async Task ServerRestartWhileTheSmokeRuns_TheCommandRunsAgain_GreenKept()
    {
        await DeployGreenAsync(Strategy());
        await UntilSmokeRunsAsync();
        var green = _rig.Driver.LiveOf(2).Select(r => r.ReplicaId).ToList();

        await _rig.RestartServerAsync();
        var rollout = await UntilSmokeRunsAsync();
        _rig.Smoke.Finish(rollout.Id, 0);
        await _rig.RunUntilAsync(r => r.State == RolloutStates.Paused, TimeSpan.FromMinutes(1));

        Assert.Equal(green, _rig.Driver.LiveOf(2).Select(r => r.ReplicaId).ToList());
        Assert.Equal(1, (await _rig.DecisionsAsync(rollout.Id)).Count(d => d.Kind == "green.ready"));
    }
}
