using Berth.Spec;
using Berth.Store;
using Berth.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace Berth.Tests.Store;

/// <summary>
/// <see cref="BerthStore.GetServiceSnapshotAsync"/>: one consistent read of a service, served from memory until a
/// write touches the service — never a stale one.
/// </summary>
public sealed class ServiceSnapshotTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);
    private static readonly CancellationToken None = CancellationToken.None;

    private static async Task<BerthStore> StoreWithAsync(TempDirectory dir, params string[] services)
    {
        var store = new BerthStore(Options.Create(new StoreOptions { DataDirectory = dir.Path }));
        await store.WriteAsync(
            async tx =>
            {
                await tx.UpsertStackAsync(new StackRecord("s", [], Now, Now), None);
                foreach (var name in services)
                {
                    await tx.InsertReleaseAsync(new ReleaseRecord(name, 1, Now, new ServiceSpec { Name = name }, "h1", "first"), None);
                    await tx.UpsertServiceAsync(Service(name), None);
                    await tx.SaveReplicaAsync(Replica(name, 1), None);
                }
            },
            None);
        return store;
    }

    private static ServiceRecord Service(string name) => new()
    {
        Name = name, Stack = "s", Mode = DeployModes.Replicated, DesiredReplicas = 1, Release = 1, CreatedAt = Now, UpdatedAt = Now,
    };

    private static ReplicaRecord Replica(string service, int slot) => new()
    {
        Id = $"{service}.{slot}.x", Service = service, Slot = slot, Release = 1,
        DesiredState = DesiredStates.Running, State = ReplicaStates.Running, CreatedAt = Now,
    };

    [Fact]
    public async Task Snapshot_ReadsServiceReplicasRolloutAndRelease()
    {
        using var dir = new TempDirectory();
        var store = await StoreWithAsync(dir, "s_web");

        var snapshot = await store.GetServiceSnapshotAsync("s_web", None);

        Assert.NotNull(snapshot);
        Assert.Equal("s_web", snapshot.Service.Name);
        Assert.Equal(["s_web.1.x"], snapshot.Replicas.Select(r => r.Id));
        Assert.Equal(1, snapshot.Release!.Number);
        Assert.Null(snapshot.LatestRollout);
        Assert.Null(snapshot.Candidate);
        Assert.Null(await store.GetServiceSnapshotAsync("s_none", None));
    }

    [Fact]
    public async Task Snapshot_NothingWritten_ServedFromMemory()
    {
        using var dir = new TempDirectory();
        var store = await StoreWithAsync(dir, "s_web", "s_db");
        var first = await store.GetServiceSnapshotAsync("s_web", None);

        // Writes to another service, or to tables a snapshot does not hold, leave it valid.
        await store.WriteAsync(tx => tx.SaveReplicaAsync(Replica("s_db", 2), None), None);
        await store.WriteAsync(tx => tx.AddRestartAsync("s_web", 1, Now, None), None);

        Assert.Same(first, await store.GetServiceSnapshotAsync("s_web", None));
    }

    [Theory]
    [InlineData("replica saved")]
    [InlineData("replica deleted")]
    [InlineData("service updated")]
    [InlineData("release added")]
    [InlineData("rollout added")]
    [InlineData("rollout updated")]
    [InlineData("service deleted")]
    public async Task Snapshot_WriteTouchesTheService_NextReadSeesIt(string write)
    {
        using var dir = new TempDirectory();
        var store = await StoreWithAsync(dir, "s_web");
        var rollout = await store.WriteAsync(tx => tx.InsertRolloutAsync(Rollout(), None), None);
        var before = await store.GetServiceSnapshotAsync("s_web", None);
        Assert.Same(before, await store.GetServiceSnapshotAsync("s_web", None));

        await store.WriteAsync(
            write switch
            {
                "replica saved" => tx => tx.SaveReplicaAsync(Replica("s_web", 2), None),
                "replica deleted" => tx => tx.DeleteReplicaAsync(Replica("s_web", 1), None),
                "service updated" => tx => tx.UpsertServiceAsync(Service("s_web") with { DesiredReplicas = 5 }, None),
                "release added" => tx => tx.InsertReleaseAsync(new ReleaseRecord("s_web", 2, Now, new ServiceSpec { Name = "s_web" }, "h2", "second"), None),
                "rollout added" => tx => tx.InsertRolloutAsync(Rollout() with { ToRelease = 2 }, None),
                "rollout updated" => tx => tx.UpdateRolloutAsync(rollout with { State = RolloutStates.Completed }, None),
                "service deleted" => tx => tx.DeleteServiceAsync("s_web", None),
                _ => throw new ArgumentOutOfRangeException(nameof(write)),
            },
            None);

        var after = await store.GetServiceSnapshotAsync("s_web", None);
        var fresh = await store.ReadAsync(tx => tx.GetServiceSnapshotAsync("s_web", None), None);
        Assert.NotSame(before, after);
        Assert.Equal(fresh is null, after is null);
        if (after is not null)
        {
            Assert.Equal(fresh!.Service, after.Service);
            Assert.Equal(fresh.Replicas, after.Replicas);
            Assert.Equal(fresh.LatestRollout?.Id, after.LatestRollout?.Id);
            Assert.Equal(fresh.LatestRollout?.State, after.LatestRollout?.State);
        }
    }

    [Fact]
    public async Task Snapshot_WriteRolledBack_StillReadsTheStore()
    {
        using var dir = new TempDirectory();
        var store = await StoreWithAsync(dir, "s_web");
        var before = await store.GetServiceSnapshotAsync("s_web", None);

        await Assert.ThrowsAsync<InvalidOperationException>(() => store.WriteAsync(
            async tx =>
            {
                await tx.SaveReplicaAsync(Replica("s_web", 2), None);
                throw new InvalidOperationException("boom");
            },
            None));

        var after = await store.GetServiceSnapshotAsync("s_web", None);
        Assert.Equal(before!.Replicas, after!.Replicas);
    }

    [Fact]
    public async Task Snapshot_WritesFromManyTasks_EveryReadAfterAWriteSeesIt()
    {
        using var dir = new TempDirectory();
        var store = await StoreWithAsync(dir, "s_web");

        // Readers race writers; after each write has returned, a read must include its replica.
        await Parallel.ForAsync(2, 42, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (slot, ct) =>
        {
            await store.WriteAsync(tx => tx.SaveReplicaAsync(Replica("s_web", slot), ct), ct);
            var seen = await store.GetServiceSnapshotAsync("s_web", ct);
            Assert.Contains(seen!.Replicas, r => r.Slot == slot);
        });

        Assert.Equal(41, (await store.GetServiceSnapshotAsync("s_web", None))!.Replicas.Count);
    }

    private static RolloutRecord Rollout() => new()
    {
        Id = 0, Service = "s_web", Kind = "update", FromRelease = 1, ToRelease = 1, State = RolloutStates.Updating,
        Config = new UpdateConfigSpec(), StartedAt = Now, UpdatedAt = Now, Strategy = StrategySpec.RollingKind,
    };
}
