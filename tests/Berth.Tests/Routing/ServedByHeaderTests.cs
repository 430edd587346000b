using Berth.Tests.Infrastructure;
using Berth.Routing;

namespace Berth.Tests.Routing;

[Collection(RoutingCollection.Name)]
public sealed class ServedByHeaderTests
{
    [Fact]
    public async Task Request_ServedByHeaderOn_NamesReleaseAndReplica()
    {
        await using var rig = new RouterRig();
        await using var a = await TestUpstream.StartAsync("web-3-a1");
        var port = LoopbackPort.Free();
        await rig.ApplyOrFailAsync(RouterRig.Route("web", port) with { Stable = RouterRig.Pool("stable", 3, a) });

        var reply = await rig.GetAsync(port);

        Assert.True(reply.Ok, reply.ToString());
        Assert.Equal("release=3; replica=web-3-a1", reply.ServedBy);
    }

    [Fact]
    public async Task Request_ServedByHeaderTurnedOff_HeaderAbsent()
    {
        await using var rig = new RouterRig();
        await using var a = await TestUpstream.StartAsync("a");
        var port = LoopbackPort.Free();
        var route = RouterRig.Route("web", port, a);
        await rig.ApplyOrFailAsync(route);
        Assert.NotNull((await rig.GetAsync(port)).ServedBy);

        await rig.ApplyOrFailAsync(route with { Settings = new RouteSettings { ServedByHeader = false } });
        var reply = await rig.GetAsync(port);

        Assert.True(reply.Ok, reply.ToString());
        Assert.Equal("a", reply.Body);
        Assert.Null(reply.ServedBy);
    }
}
