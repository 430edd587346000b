using Berth.Engine;
using Berth.Engine.Progressive;
using Berth.Routing;
using Berth.Spec;
using Berth.Store;
using Berth.Tests.Engine.Fakes;
using Microsoft.Extensions.Options;
using static Berth.Tests.Engine.Progressive.PlannerInputs;
using Berth.Engine.Events;
using Berth.Engine.Rolling;
using Berth.Engine.Routing;

namespace Berth.Tests.Engine.Progressive;

/// <summary>The split saved state implies, what the router reports back, and RouteSync applying only what changes.</summary>
public sealed class RouteSplitTests
{
    private static RolloutRecord Rollout(string strategy, string state, RolloutProgress? progress) =>
        RolloutLedger.New("s_web", "update", 1, 2, new UpdateConfigSpec(), T0) with { Strategy = strategy, State = state, Progress = progress };

    public static TheoryData<string, RouteSplit> Splits => new()
    {
        { "canary at 30 with a match", new RouteSplit(1, 2, "canary", 30, new MatchRule("X-Beta", null, "yes"), null) },
        { "green before the switch", new RouteSplit(1, 2, "green", 0, null, 8081) },
        { "promoted", new RouteSplit(2, null, null, 0, null, null) },
        { "aborted", new RouteSplit(1, null, null, 0, null, null) },
        { "rolling", new RouteSplit(1, null, null, 0, null, null) },
    };

    [Theory]
    [MemberData(nameof(Splits))]
    public void Of_SavedState_TheSplitTheRouterMustServe(string state, RouteSplit expected)
    {
        var match = new MatchSpec { Header = "X-Beta", Value = "yes" };
        var (rollout, serviceRelease, strategy) = state switch
        {
            "canary at 30 with a match" => (Rollout(StrategySpec.CanaryKind, RolloutStates.Paused, Progress(weight: 30) with { Match = match }), 1, Canary(Weight(30))),
            "green before the switch" => (Rollout(StrategySpec.BlueGreenKind, RolloutStates.Updating, Progress()), 1, BlueGreen()),
            "promoted" => (Rollout(StrategySpec.BlueGreenKind, RolloutStates.Updating, Progress(weight: 100, phase: RolloutPhases.Promoted)), 2, BlueGreen()),
            "aborted" => (Rollout(StrategySpec.CanaryKind, RolloutStates.Aborted, Progress(weight: 30)), 1, Canary(Weight(30))),
            _ => (Rollout(StrategySpec.RollingKind, RolloutStates.Updating, null), 1, new StrategySpec()),
        };

        Assert.Equal(expected, RouteSplit.Of(serviceRelease, rollout, strategy));
    }

    [Fact]
    public async Task RouteSync_SameRouteTwice_RouterGetsItOnce_ThenSplitReadsBack()
    {
        var router = new FakeTrafficRouter();
        using var dir = new Berth.Tests.Infrastructure.TempDirectory();
        var store = new BerthStore(Options.Create(new StoreOptions { DataDirectory = dir.Path }));
        var routes = new RouteSync(router, new EventLog(store, new Microsoft.Extensions.Time.Testing.FakeTimeProvider(T0)), Options.Create(new RouterOptions()));
        var service = new ServiceRecord { Name = "s_web", Stack = "s", Mode = "replicated", DesiredReplicas = 1, Release = 1, CreatedAt = T0, UpdatedAt = T0 };
        ServiceRoute Route() => new()
        {
            Service = "s_web",
            FrontDoors = [new FrontDoorAddress("127.0.0.1", 8080)],
            Stable = new RoutePool("stable", 1, [new RouteDestination("s_web.1.a", 1, "127.0.0.1:9000")]),
            Candidate = new RoutePool("canary", 2, []),
            CandidateWeight = 20,
        };

        Assert.Null(await routes.ApplyAsync(service, Route(), CancellationToken.None));
        Assert.Null(await routes.ApplyAsync(service, Route(), CancellationToken.None));

        Assert.Single(router.Applied);
        Assert.True(routes.Serves("s_web", new RouteSplit(1, 2, "canary", 20, null, null)));
        Assert.False(routes.Serves("s_web", new RouteSplit(1, 2, "canary", 50, null, null)));
        router.RefuseWith = "port taken";
        Assert.Equal("port taken", await routes.ApplyAsync(service, Route() with { CandidateWeight = 50 }, CancellationToken.None));
    }

    [Fact]
    public void PoolObservation_ReadySlotsAndTheExitOfThisRollout()
    {
        ReplicaRecord Replica(int slot, string state, string health = "healthy", int minutes = 1) => new()
        {
            Id = $"s_web.{slot}.{state}",
            Service = "s_web",
            Slot = slot,
            Release = 2,
            DesiredState = DesiredStates.Running,
            State = state,
            Health = health,
            CreatedAt = T0.AddMinutes(minutes),
            ExitCode = state == ReplicaStates.Exited ? 2 : null,
        };

        var pool = PoolObservation.Of([Replica(1, ReplicaStates.Running), Replica(2, ReplicaStates.Starting, "starting"), Replica(3, ReplicaStates.Exited, minutes: -5), Replica(3, ReplicaStates.Exited)], T0);

        Assert.Equal([1], pool.ReadySlots);
        Assert.Equal(new ExitedReplica("s_web.3.exited", 2, null), pool.Exited);
        Assert.Equal(1, pool.ReadyUpTo(4));
    }
}
