using Berth.Api;
using Berth.Deployments;
using Berth.Engine;
using Berth.Engine.Events;
using Berth.Engine.Rolling;
using Berth.Queries;
using Berth.Routing;
using Berth.Spec;
using Berth.Store;
using Berth.Tests.Infrastructure;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Berth.Tests.Rollouts;

/// <summary>`berth promote` / `berth abort` and the rollout read models, through a real SQLite store on a temp dir.</summary>
public sealed class PromoteAbortTests : IDisposable
{
    private const string Service = "shop_web";
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private static readonly CancellationToken None = CancellationToken.None;

    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(T0);
    private readonly BerthStore _store;
    private readonly ReconcileQueue _queue;
    private readonly RolloutCommands _commands;
    private readonly RolloutQueries _queries;

    public PromoteAbortTests()
    {
        _store = new BerthStore(Options.Create(new StoreOptions { DataDirectory = _dir.Path }));
        _queue = new ReconcileQueue(_time);
        _commands = new RolloutCommands(_store, new EventLog(_store, _time), _queue, _time);
        _queries = new RolloutQueries(_store, new RouterMetrics(_time));
    }

    public void Dispose() => _dir.Dispose();

    private static StrategySpec Canary() => new()
    {
        Kind = StrategySpec.CanaryKind,
        Canary = new CanarySpec
        {
            Steps =
            [
                new CanaryStepSpec { Kind = CanaryStepSpec.WeightKind, Weight = 20 },
                new CanaryStepSpec { Kind = CanaryStepSpec.PauseKind },
                new CanaryStepSpec { Kind = CanaryStepSpec.AnalysisKind, Analysis = new AnalysisSpec { Interval = TimeSpan.FromSeconds(5), Count = 3, Metrics = [new MetricSpec { Name = MetricSpec.ErrorRate, Max = 0.05 }] } },
                new CanaryStepSpec { Kind = CanaryStepSpec.MatchKind, Match = new MatchSpec { Header = "X-Beta", Value = "yes" } },
            ],
        },
    };

    /// <summary>A service on release 2 whose latest rollout (1 → 2) uses <paramref name="strategy"/> and is in <paramref name="state"/>.</summary>
    private async Task<RolloutRecord> SeedAsync(string strategy, string state, int step = 1, StrategySpec? spec = null)
    {
        spec ??= strategy == StrategySpec.CanaryKind ? Canary() : new StrategySpec { Kind = strategy };
        return await _store.WriteAsync(
            async tx =>
            {
                await tx.UpsertStackAsync(new StackRecord("shop", [], T0, T0), None);
                await tx.UpsertServiceAsync(new ServiceRecord { Name = Service, Stack = "shop", Mode = "replicated", DesiredReplicas = 3, Release = 2, CreatedAt = T0, UpdatedAt = T0 }, None);
                foreach (var number in new[] { 1, 2 })
                {
                    var serviceSpec = new ServiceSpec { Name = Service, Berth = new BerthServiceSpec { Strategy = spec } };
                    await tx.InsertReleaseAsync(new ReleaseRecord(Service, number, T0, serviceSpec, $"hash{number}", $"release {number}"), None);
                }

                var rollout = RolloutLedger.New(Service, "update", 1, 2, new UpdateConfigSpec(), T0) with
                {
                    Strategy = strategy,
                    State = state,
                    Progress = strategy == StrategySpec.RollingKind
                        ? null
                        : new RolloutProgress { Step = step, Weight = 20, CandidateReplicas = 1, Phase = RolloutPhases.AwaitingPromotion, StepStartedAt = T0, ProgressedAt = T0 },
                };
                return await tx.InsertRolloutAsync(rollout, None);
            },
            None);
    }

    /// <summary>Records compare their lists by reference; one shared list makes the rest compare by value.</summary>
    private static void AssertSame(RolloutRecord expected, RolloutRecord? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.FailedReplicas, actual.FailedReplicas);
        IReadOnlyList<string> shared = [];
        Assert.Equal(expected with { FailedReplicas = shared }, actual with { FailedReplicas = shared });
    }

    private Task<RolloutRecord?> LatestAsync() => _store.ReadAsync(tx => tx.GetLatestRolloutAsync(Service, None), None);

    private Task<IReadOnlyList<RolloutDecisionRecord>> DecisionsAsync(long id) => _store.ReadAsync(tx => tx.GetRolloutDecisionsAsync(id, None), None);

    private Task<IReadOnlyList<EventRecord>> EventsAsync() => _store.ReadAsync(tx => tx.GetEventsAsync(0, Service, 100, None), None);

    [Fact]
    public async Task PromoteAsync_PausedCanary_RequestsPromotionResumesAndRecordsDecision()
    {
        var seeded = await SeedAsync(StrategySpec.CanaryKind, RolloutStates.Paused);

        var promoted = await _commands.PromoteAsync(Service, full: false, "alice", None);

        var stored = await LatestAsync();
        AssertSame(promoted, stored);
        Assert.Equal(RolloutStates.Updating, stored!.State);
        Assert.True(stored.Progress!.PromoteRequested);
        Assert.False(stored.Progress.PromoteFull);
        var decision = Assert.Single(await DecisionsAsync(seeded.Id));
        Assert.Equal("promote.requested", decision.Kind);
        Assert.Equal("promotion requested by alice", decision.Message);
        Assert.Equal("alice", decision.Data["by"]);
        Assert.Equal(1, decision.Step);
        Assert.Contains(await EventsAsync(), e => e.Kind == "rollout.promote_requested");
        Assert.Equal(1, _queue.ReadyCount);
    }

    [Fact]
    public async Task PromoteAsync_FullOnUpdatingBlueGreen_SetsFullAndKeepsState()
    {
        await SeedAsync(StrategySpec.BlueGreenKind, RolloutStates.Updating);

        await _commands.PromoteAsync(Service, full: true, "alice", None);

        var stored = await LatestAsync();
        Assert.Equal(RolloutStates.Updating, stored!.State);
        Assert.True(stored.Progress!.PromoteRequested);
        Assert.True(stored.Progress.PromoteFull);
    }

    [Theory]
    [InlineData(StrategySpec.CanaryKind, RolloutStates.Completed, "its latest rollout #1 is completed")]
    [InlineData(StrategySpec.CanaryKind, RolloutStates.Aborted, "its latest rollout #1 is aborted")]
    [InlineData(StrategySpec.RollingKind, RolloutStates.Updating, "its latest rollout #1 is a rolling update")]
    public async Task PromoteAsync_NothingWaiting_ConflictAndNothingChanged(string strategy, string state, string message)
    {
        var seeded = await SeedAsync(strategy, state);

        var error = await Assert.ThrowsAsync<ProblemException>(() => _commands.PromoteAsync(Service, full: false, null, None));

        Assert.Equal(ProblemKind.Conflict, error.Kind);
        Assert.Equal($"service {Service} has no blue/green or canary rollout waiting: {message}", error.Message);
        AssertSame(seeded, await LatestAsync());
        Assert.Empty(await DecisionsAsync(seeded.Id));
        Assert.Equal(0, _queue.ReadyCount);
    }

    [Fact]
    public async Task PromoteAsync_UnknownService_NotFound()
    {
        var error = await Assert.ThrowsAsync<ProblemException>(() => _commands.PromoteAsync("nope", full: false, null, None));

        Assert.Equal(ProblemKind.NotFound, error.Kind);
        Assert.Contains("nope", error.Message);
    }

    [Theory]
    [InlineData(RolloutStates.Updating)]
    [InlineData(RolloutStates.Paused)]
    public async Task AbortAsync_ActiveCanary_AbortedWithReasonDecisionAndEvent(string state)
    {
        var seeded = await SeedAsync(StrategySpec.CanaryKind, state);

        await _commands.AbortAsync(Service, null, None);

        var stored = await LatestAsync();
        Assert.Equal(RolloutStates.Aborted, stored!.State);
        Assert.Equal("aborted by request", stored.Reason);
        Assert.Equal("aborted", Assert.Single(await DecisionsAsync(seeded.Id)).Kind);
        Assert.Contains(await EventsAsync(), e => e.Kind == "rollout.aborted");
    }

    [Fact]
    public async Task AbortAsync_Completed_ConflictAndNothingChanged()
    {
        var seeded = await SeedAsync(StrategySpec.BlueGreenKind, RolloutStates.Completed);

        var error = await Assert.ThrowsAsync<ProblemException>(() => _commands.AbortAsync(Service, null, None));

        Assert.Equal(ProblemKind.Conflict, error.Kind);
        Assert.Equal($"nothing to abort: rollout #1 of {Service} is completed", error.Message);
        AssertSame(seeded, await LatestAsync());
    }

    [Fact]
    public async Task PauseThenResume_Canary_KeepsStrategyAndProgress()
    {
        var seeded = await SeedAsync(StrategySpec.CanaryKind, RolloutStates.Updating);

        await _commands.PauseAsync(Service, "bob", None);
        var paused = await LatestAsync();
        await _commands.ResumeAsync(Service, "carol", None);
        var resumed = await LatestAsync();

        Assert.Equal(RolloutStates.Paused, paused!.State);
        Assert.Equal("paused by bob", paused.Reason);
        var timeline = await DecisionsAsync(seeded.Id);
        Assert.Equal(["paused by bob", "resumed by carol"], timeline.Select(d => d.Message).ToList());
        Assert.Equal(["bob", "carol"], timeline.Select(d => d.Data["by"]).ToList());
        Assert.Equal(RolloutStates.Updating, resumed!.State);
        Assert.Equal(StrategySpec.CanaryKind, resumed.Strategy);
        Assert.Equal(seeded.Progress, resumed.Progress);
    }

    [Fact]
    public async Task GetLatestAsync_Canary_DescribesStepWeightAndKpis()
    {
        await SeedAsync(StrategySpec.CanaryKind, RolloutStates.Paused, step: 1);

        var info = await _queries.GetLatestAsync(Service, None);

        Assert.Equal(StrategySpec.CanaryKind, info.Strategy);
        var progress = info.Progress!;
        Assert.Equal(2, progress.Step);
        Assert.Equal(4, progress.Steps);
        Assert.Equal("pause (until promote)", progress.StepDescription);
        Assert.Equal(RolloutPhases.AwaitingPromotion, progress.Phase);
        Assert.Equal(20, progress.Weight);
        Assert.Equal(1, progress.CandidateReplicas);
        Assert.Equal(10, progress.Candidate!.WindowSeconds);
        Assert.NotNull(progress.Stable);
    }

    [Theory]
    [InlineData(0, "weight 20")]
    [InlineData(2, "analysis (3 × 5s)")]
    [InlineData(3, "match header X-Beta=yes")]
    public async Task GetLatestAsync_CanaryStep_DescribesIt(int step, string description)
    {
        await SeedAsync(StrategySpec.CanaryKind, RolloutStates.Updating, step);

        var progress = (await _queries.GetLatestAsync(Service, None)).Progress!;

        Assert.Equal(description, progress.StepDescription);
        Assert.Equal(step == 2 ? 5 : 10, progress.Candidate!.WindowSeconds);
    }

    [Fact]
    public async Task GetReportAsync_AfterAbort_HasSettingsTimelineOneBasedAndSamples()
    {
        var seeded = await SeedAsync(StrategySpec.CanaryKind, RolloutStates.Updating, step: 2);
        await _store.WriteAsync(
            tx => tx.AddRolloutSampleAsync(
                new RolloutSampleRecord { RolloutId = seeded.Id, At = T0.AddSeconds(5), Release = 2, Role = "candidate", Weight = 20, WindowSeconds = 5, Requests = 50, ErrorRate = 0.1, P50Ms = 3, P95Ms = 9, P99Ms = 12 },
                None),
            None);
        _time.Advance(TimeSpan.FromSeconds(30));
        await _commands.AbortAsync(Service, null, None);

        var report = await _queries.GetReportAsync(Service, release: null, None);

        Assert.Equal(RolloutStates.Aborted, report.Rollout.State);
        Assert.Contains("strategy: canary", report.Settings);
        Assert.Contains(report.Settings, s => s.Contains("3. analysis (3 × 5s)", StringComparison.Ordinal));
        Assert.Contains(report.Settings, s => s.Contains("error_rate ≤ 5%", StringComparison.Ordinal));
        var entry = Assert.Single(report.Timeline);
        Assert.Equal(3, entry.Step);
        Assert.Equal("aborted", entry.Kind);
        var sample = Assert.Single(report.Samples);
        Assert.Equal(10, sample.RequestsPerSecond);
    }

    [Fact]
    public async Task GetReportAsync_OnlyRolling_NotFoundNamingTheWayOut()
    {
        await SeedAsync(StrategySpec.RollingKind, RolloutStates.Completed);

        var error = await Assert.ThrowsAsync<ProblemException>(() => _queries.GetReportAsync(Service, release: null, None));
        var rolling = await _queries.GetReportAsync(Service, release: 2, None);
        var missing = await Assert.ThrowsAsync<ProblemException>(() => _queries.GetReportAsync(Service, release: 7, None));

        Assert.Equal(ProblemKind.NotFound, error.Kind);
        Assert.Contains("no blue/green or canary rollout", error.Message);
        Assert.Contains(rolling.Settings, s => s.StartsWith("update_config:", StringComparison.Ordinal));
        Assert.Contains("no rollout to release 7; its rollouts went to releases 2", missing.Message);
    }
}
