using Berth.Engine;
using Berth.Engine.Rolling;
using Berth.Spec;
using Berth.Store;

namespace Berth.Tests.Rollouts;

public sealed class RolloutPlannerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    private static RolloutRecord Rollout(UpdateConfigSpec config) => RolloutLedger.New("s_web", "update", 1, 2, config, T0);

    private static ReplicaRecord Replica(int slot, int release, string state = ReplicaStates.Running, string health = "healthy", DateTimeOffset? created = null) => new()
    {
        Id = $"s_web.{slot}.{release}",
        Service = "s_web",
        Slot = slot,
        Release = release,
        DesiredState = DesiredStates.Running,
        State = state,
        Health = health,
        CreatedAt = created ?? T0.AddMinutes(-10),
        ExitedAt = state == ReplicaStates.Exited ? (created ?? T0).AddSeconds(1) : null,
        ExitCode = state == ReplicaStates.Exited ? 1 : null,
    };

    [Fact]
    public void Plan_FirstPass_StartsParallelismLowestSlots()
    {
        var plan = RolloutPlanner.Plan(Rollout(new UpdateConfigSpec { Parallelism = 2 }), [Replica(3, 1), Replica(1, 1), Replica(2, 1)], 3, T0);

        Assert.Equal([1, 2], plan.StartBatch);
    }

    [Fact]
    public void Plan_ParallelismZero_AllAtOnce()
    {
        var plan = RolloutPlanner.Plan(Rollout(new UpdateConfigSpec { Parallelism = 0 }), [Replica(1, 1), Replica(2, 1), Replica(3, 1)], 3, T0);

        Assert.Equal([1, 2, 3], plan.StartBatch);
    }

    [Fact]
    public void Plan_NewReplicaNotReadyYet_HoldsTheNextBatchUntilMonitorEnds()
    {
        var config = new UpdateConfigSpec { Monitor = TimeSpan.FromSeconds(5) };
        var plan = RolloutPlanner.Plan(Rollout(config), [Replica(1, 2, ReplicaStates.Starting, "starting", created: T0.AddSeconds(1)), Replica(2, 1)], 2, T0.AddSeconds(2));

        Assert.Empty(plan.StartBatch);
        Assert.False(plan.BatchFinished);
        Assert.Equal(T0.AddSeconds(6), plan.WakeAt);
    }

    [Fact]
    public void Plan_NewReplicaReadyWithinMonitor_TheSlotIsDone_MonitorDoesNotHoldTheNext()
    {
        // As Swarm's updater: a slot is done once its new task runs; monitor is watched meanwhile, not waited for.
        var config = new UpdateConfigSpec { Monitor = TimeSpan.FromSeconds(5) };
        var plan = RolloutPlanner.Plan(Rollout(config), [Replica(1, 2, created: T0.AddSeconds(1)), Replica(2, 1)], 2, T0.AddSeconds(2));

        Assert.Equal([2], plan.StartBatch);
        Assert.False(plan.BatchFinished);
    }

    [Fact]
    public void Plan_NoDelay_ASlotReadyFreesItsPlaceAtOnce_WhileTheOtherStaysInFlight()
    {
        // Swarm's `parallelism` workers: each takes the next slot once its own is done, not once the whole batch is.
        var config = new UpdateConfigSpec { Parallelism = 2, Monitor = TimeSpan.FromSeconds(5) };
        var replicas = new[]
        {
            Replica(1, 2, created: T0.AddSeconds(1)),
            Replica(2, 2, ReplicaStates.Starting, "starting", created: T0.AddSeconds(1)),
            Replica(3, 1),
            Replica(4, 1),
        };

        var plan = RolloutPlanner.Plan(Rollout(config), replicas, 4, T0.AddSeconds(2));

        Assert.Equal([3], plan.StartBatch);
        Assert.Equal(T0.AddSeconds(6), plan.WakeAt);
    }

    [Fact]
    public void Plan_NoDelay_StartFirst_ASlotInFlightIsNotStartedAgain()
    {
        var config = new UpdateConfigSpec { Parallelism = 2, Order = "start-first", Monitor = TimeSpan.FromSeconds(5) };
        var replicas = new[] { Replica(1, 1), Replica(1, 2, ReplicaStates.Starting, "starting", created: T0.AddSeconds(1)), Replica(2, 1), Replica(3, 1) };

        var plan = RolloutPlanner.Plan(Rollout(config), replicas, 3, T0.AddSeconds(2));

        Assert.Equal([2], plan.StartBatch);
        Assert.Empty(plan.StopOld);
    }

    [Fact]
    public void Plan_WithADelay_TheWholeBatchHoldsTheNext()
    {
        var config = new UpdateConfigSpec { Parallelism = 2, Monitor = TimeSpan.FromSeconds(5), Delay = TimeSpan.FromSeconds(1) };
        var replicas = new[] { Replica(1, 2, created: T0.AddSeconds(1)), Replica(2, 2, ReplicaStates.Starting, "starting", created: T0.AddSeconds(1)), Replica(3, 1) };

        var plan = RolloutPlanner.Plan(Rollout(config), replicas, 3, T0.AddSeconds(2));

        Assert.Empty(plan.StartBatch);
        Assert.False(plan.BatchFinished);
    }

    [Fact]
    public void Plan_ReplicaOfAnEarlierBatchExitsWithinItsMonitor_IsAFailureEvenAfterTheNextBatchStarted()
    {
        var config = new UpdateConfigSpec { Monitor = TimeSpan.FromSeconds(5), FailureAction = "pause" };
        var exited = Replica(1, 2, ReplicaStates.Exited, created: T0.AddSeconds(1)) with { ExitedAt = T0.AddSeconds(4) };
        var plan = RolloutPlanner.Plan(Rollout(config) with { LastBatchDoneAt = T0.AddSeconds(2) }, [exited, Replica(2, 2, ReplicaStates.Starting, "starting", created: T0.AddSeconds(2))], 2, T0.AddSeconds(4));

        Assert.Equal(RolloutVerdict.Pause, plan.Verdict);
        Assert.Equal("s_web.1.2", Assert.Single(plan.NewFailures).ReplicaId);
    }

    [Fact]
    public void Plan_EverySlotUpdated_CompletesOnlyOnceTheLastMonitorHasPassed()
    {
        var config = new UpdateConfigSpec { Monitor = TimeSpan.FromSeconds(5) };
        var replicas = new[] { Replica(1, 2, created: T0.AddSeconds(1)), Replica(2, 2, created: T0.AddSeconds(3)) };

        var watching = RolloutPlanner.Plan(Rollout(config), replicas, 2, T0.AddSeconds(4));
        Assert.Equal(RolloutVerdict.Continue, watching.Verdict);
        Assert.Equal(T0.AddSeconds(6), watching.WakeAt);

        var done = RolloutPlanner.Plan(Rollout(config), replicas, 2, T0.AddSeconds(8));
        Assert.Equal(RolloutVerdict.Completed, done.Verdict);
    }

    [Fact]
    public void Plan_StartFirstNewReady_StopsOldOfThatSlot()
    {
        var config = new UpdateConfigSpec { Order = "start-first", Monitor = TimeSpan.FromSeconds(5) };
        var plan = RolloutPlanner.Plan(Rollout(config), [Replica(1, 1), Replica(1, 2, created: T0.AddSeconds(1)), Replica(2, 1)], 2, T0.AddSeconds(2));

        Assert.Equal(["s_web.1.1"], plan.StopOld);
    }

    [Fact]
    public void Plan_BatchDone_WaitsDelayBeforeNext()
    {
        var config = new UpdateConfigSpec { Monitor = TimeSpan.FromSeconds(1), Delay = TimeSpan.FromSeconds(10) };
        var replicas = new[] { Replica(1, 2, created: T0.AddSeconds(1)), Replica(2, 1) };

        var finished = RolloutPlanner.Plan(Rollout(config), replicas, 2, T0.AddSeconds(3));
        Assert.True(finished.BatchFinished);
        Assert.Empty(finished.StartBatch);

        var waiting = RolloutPlanner.Plan(Rollout(config) with { LastBatchDoneAt = T0.AddSeconds(3) }, replicas, 2, T0.AddSeconds(5));
        Assert.Empty(waiting.StartBatch);
        Assert.Equal(T0.AddSeconds(13), waiting.WakeAt);

        var next = RolloutPlanner.Plan(Rollout(config) with { LastBatchDoneAt = T0.AddSeconds(3) }, replicas, 2, T0.AddSeconds(13));
        Assert.Equal([2], next.StartBatch);
    }

    [Theory]
    [InlineData("pause", RolloutVerdict.Pause)]
    [InlineData("rollback", RolloutVerdict.Rollback)]
    [InlineData("continue", RolloutVerdict.Continue)]
    public void Plan_NewReplicaExitsWithinMonitor_FailureActionApplies(string action, RolloutVerdict expected)
    {
        var config = new UpdateConfigSpec { FailureAction = action, Monitor = TimeSpan.FromSeconds(5) };
        var plan = RolloutPlanner.Plan(Rollout(config), [Replica(1, 2, ReplicaStates.Exited, "none", T0.AddSeconds(1)), Replica(2, 1)], 2, T0.AddSeconds(3));

        Assert.Equal(expected, plan.Verdict);
        Assert.Single(plan.NewFailures);
    }

    [Fact]
    public void Plan_NotReadyWhenMonitorEnds_IsAFailure()
    {
        var config = new UpdateConfigSpec { Monitor = TimeSpan.FromSeconds(2) };
        var plan = RolloutPlanner.Plan(Rollout(config), [Replica(1, 2, ReplicaStates.Starting, "starting", T0), Replica(2, 1)], 2, T0.AddSeconds(3));

        Assert.Equal(RolloutVerdict.Pause, plan.Verdict);
        Assert.Contains("not ready within 2s", plan.Reason);
    }

    [Fact]
    public void Plan_NotReadyAfterMonitorButInsideStartGrace_StillWatched()
    {
        var config = new UpdateConfigSpec { Monitor = TimeSpan.FromSeconds(2) };
        var replicas = new[] { Replica(1, 2, ReplicaStates.Starting, "starting", T0), Replica(2, 1) };

        var inside = RolloutPlanner.Plan(Rollout(config), replicas, 2, T0.AddSeconds(3), startGrace: TimeSpan.FromSeconds(10));
        var after = RolloutPlanner.Plan(Rollout(config), replicas, 2, T0.AddSeconds(11), startGrace: TimeSpan.FromSeconds(10));

        Assert.Equal(RolloutVerdict.Continue, inside.Verdict);
        Assert.Empty(inside.StartBatch);
        Assert.Equal(RolloutVerdict.Pause, after.Verdict);
    }

    [Fact]
    public void Plan_AllSlotsOnNewReleaseAndReady_Completed()
    {
        var plan = RolloutPlanner.Plan(Rollout(new UpdateConfigSpec()), [Replica(1, 2, created: T0.AddSeconds(1)), Replica(2, 2, created: T0.AddSeconds(1))], 2, T0.AddSeconds(30));

        Assert.Equal(RolloutVerdict.Completed, plan.Verdict);
    }
}
