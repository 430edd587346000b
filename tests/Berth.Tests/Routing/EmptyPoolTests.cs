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
}
