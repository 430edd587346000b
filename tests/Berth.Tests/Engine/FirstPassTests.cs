using Berth.Tests.Engine.Fakes;

namespace Berth.Tests.Engine;

/// <summary>A new service's first pass: its replicas start before anything waits on the routers.</summary>
public sealed class FirstPassTests : IDisposable
{
    private readonly EngineRig _rig = new(replicas: 2);

    [Fact]
    public async Task NewService_FirstPass_StartsItsReplicasBeforeWaitingForTheRoutersToAcknowledgeItsRoute()
    {
        // Routers slow to acknowledge: the first route the pass applies is held until Acknowledge.
        _rig.CheckRouterAfterEachPass = false;
        _rig.Router.WithholdEveryAck();
        await _rig.DeployAsync("1", "strategy: rolling");

        var pass = _rig.PassAsync();
        await _rig.Router.Withheld.WaitAsync(TimeSpan.FromSeconds(10));

        // Nothing to stop, so nothing to take out of the router first: the replicas were started before the pass
        // waited on the route (Swarm starts creating their containers meanwhile).
        Assert.Equal(2, _rig.Driver.LiveOf(1).Count);
        _rig.Router.Acknowledge();
        await pass.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Single(_rig.Router.Applied);
    }

    public void Dispose() => _rig.Dispose();
}
