using Berth.Tests.Infrastructure;
using Berth.Routing;

namespace Berth.Tests.Routing;

[Collection(RoutingCollection.Name)]
public sealed class EmptyPoolTests
{
    [Fact]
    public async Task Request_StableHasNoReplicas_503NamingService()
    {
        await using var rig = new RouterRig();
        var port = LoopbackPort.Free();
        await rig.ApplyOrFailAsync(RouterRig.Route("checkout", port));

        var reply = await rig.GetAsync(port);

        Assert.Equal(503, reply.Status);
        Assert.Contains("checkout", reply.Body);
        Assert.Contains("no replica is ready", reply.Body);
    }

    [Fact]
    public async Task Request_EveryReplicaEjected_PanicRoutingStillTriesThemAll()
    {
        await using var rig = new RouterRig();
        var upstreams = await TestUpstream.StartManyAsync("a", "b");
        await using var a = upstreams[0];
        await using var b = upstreams[1];
        a.FailEvery = 1;
        b.FailEvery = 1;
        var port = LoopbackPort.Free();
        var settings = new RouteSettings { Balancing = BalancingPolicies.RoundRobin, EjectAfterFailures = 1, EjectionPeriod = TimeSpan.FromMinutes(5) };
        await rig.ApplyOrFailAsync(RouterRig.Route("checkout", port, a, b) with { Settings = settings });
        for (var i = 0; i < 10 && (a.Requests == 0 || b.Requests == 0); i++)
        {
            await rig.GetAsync(port);
        }

        Assert.True(a.Requests > 0 && b.Requests > 0, "both replicas should have failed once and been ejected");

        // Both ejected for 5 minutes, and both healthy again: the pool must not answer 503 while its replicas work.
        a.FailEvery = 0;
        b.FailEvery = 0;
        var replies = await rig.GetManyAsync(port, 20);

        ReplyAssertions.AllOk(replies, "every replica ejected");
    }
}
