using Berth.Store;
using Berth.Tests.Engine.Fakes;

namespace Berth.Tests.Engine;

/// <summary>
/// The server dies between writing a new replica's row and recording its start (the row exists before the process
/// does): at the next start that replica is neither adopted nor counted as its release's failure.
/// </summary>
public sealed class StartCrashWindowTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly EngineRig _rig = new(replicas: 3);

    [Fact]
    public async Task ServerStopsWhileStartingAReplica_RollingUpdateNotFailedByIt_SlotStartedAgain()
    {
        await _rig.DeployV1Async(strategy: "");
        await _rig.DeployAsync("2", strategy: "");
        var rollout = await _rig.LatestAsync();
        // What StartReplicaAsync writes first, for slot 1 of release 2; the server stops before the runtime's answer.
        var pending = new ReplicaRecord
        {
            Id = "shop_app.1.abandoned",
            Service = EngineRig.Service,
            Slot = 1,
            Release = 2,
            DesiredState = DesiredStates.Running,
            State = ReplicaStates.Pending,
            CreatedAt = _rig.Time.GetUtcNow(),
        };
        await _rig.Store.WriteAsync(tx => tx.SaveReplicaAsync(pending, None), None);

        await _rig.RestartServerAsync();
        var done = await _rig.RunUntilAsync(r => r.State != RolloutStates.Updating, TimeSpan.FromMinutes(2));

        Assert.Equal(rollout.Id, done.Id);
        Assert.True(done.State == RolloutStates.Completed, $"{done.State}: {done.Reason}");
        Assert.Empty(done.FailedReplicas);
        Assert.Equal(3, _rig.Driver.LiveOf(2).Count);
        var replicas = await _rig.Store.ReadAsync(tx => tx.GetReplicasAsync(EngineRig.Service, None), None);
        var abandoned = Assert.Single(replicas, r => r.Id == pending.Id);
        Assert.Equal(ReplicaStates.Shutdown, abandoned.State);
        Assert.StartsWith("abandoned:", abandoned.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _rig.Dispose();
}
