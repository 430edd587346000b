using Berth.Tests.Infrastructure;

namespace Berth.Tests.Routing;

/// <summary>
/// What the replica sees of the client's request: X-Forwarded-* added by the router, and trace headers passed through
/// unchanged (the front door's forwarder does not propagate or rewrite distributed-tracing headers).
/// </summary>
[Collection(RoutingCollection.Name)]
public sealed class ForwardedHeadersTests
{
    [Fact]
    public async Task Request_ThroughFrontDoor_ReplicaSeesForwardedHeaders()
    {
        await using var rig = new RouterRig();
        await using var a = await TestUpstream.StartAsync("a");
        var port = LoopbackPort.Free();
        await rig.ApplyOrFailAsync(RouterRig.Route("web", port, a));

        var reply = await rig.GetAsync(port);

        Assert.True(reply.Ok, reply.ToString());
        var seen = a.LastRequestHeaders;
        Assert.Equal("127.0.0.1", seen.GetValueOrDefault("X-Forwarded-For"));
        Assert.Equal("http", seen.GetValueOrDefault("X-Forwarded-Proto"));
        Assert.Equal($"127.0.0.1:{port}", seen.GetValueOrDefault("X-Forwarded-Host"));
    }

    [Fact]
    public async Task Request_WithTraceparent_ReachesReplicaUnchanged()
    {
        const string traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        await using var rig = new RouterRig();
        await using var a = await TestUpstream.StartAsync("a");
        var port = LoopbackPort.Free();
        await rig.ApplyOrFailAsync(RouterRig.Route("web", port, a));

        var reply = await rig.GetAsync(port, "/", ("traceparent", traceparent), ("tracestate", "berth=1"));

        Assert.True(reply.Ok, reply.ToString());
        Assert.Equal(traceparent, a.LastRequestHeaders.GetValueOrDefault("traceparent"));
        Assert.Equal("berth=1", a.LastRequestHeaders.GetValueOrDefault("tracestate"));
    }
}
