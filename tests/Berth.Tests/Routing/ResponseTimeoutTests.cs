using System.Diagnostics;
using Berth.Routing;
using Berth.Tests.Infrastructure;

namespace Berth.Tests.Routing;

/// <summary>
/// x-berth.router.response_timeout (nginx's proxy_read_timeout): a replica that stops answering (hung, SIGSTOP) does
/// not hold a request longer than the timeout — a GET is tried once on another replica, a lone replica's gets a 504.
/// </summary>
[Collection(RoutingCollection.Name)]
public sealed class ResponseTimeoutTests
{
    [Fact]
    public async Task Get_ReplicaSilentPastTheTimeout_RetriedOnAnotherReplica()
    {
        await using var rig = new RouterRig();
        await using var hung = await TestUpstream.StartAsync("hung");
        await using var alive = await TestUpstream.StartAsync("alive");
        hung.Latency = TimeSpan.FromSeconds(30);
        var port = LoopbackPort.Free();
        var settings = new RouteSettings { Balancing = BalancingPolicies.RoundRobin, EjectAfterFailures = 1000, ResponseTimeout = TimeSpan.FromMilliseconds(300) };
        await rig.ApplyOrFailAsync(RouterRig.Route("web", port, hung, alive) with { Settings = settings });

        var clock = Stopwatch.StartNew();
        var replies = await rig.GetManyAsync(port, 4, workers: 1);

        ReplyAssertions.AllOk(replies, "GETs with a hung replica listed");
        Assert.All(replies, r => Assert.Equal("alive", r.Body));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"4 GETs took {clock.Elapsed.TotalSeconds:0.0} s: the hung replica held them past the 300 ms timeout");
        Assert.True(hung.Requests >= 1, "round robin never sent a request to the hung replica");
    }

    [Fact]
    public async Task Get_OnlyReplicaSilentPastTheTimeout_504AtTheTimeout()
    {
        await using var rig = new RouterRig();
        await using var hung = await TestUpstream.StartAsync("hung");
        hung.Latency = TimeSpan.FromSeconds(30);
        var port = LoopbackPort.Free();
        await rig.ApplyOrFailAsync(RouterRig.Route("web", port, hung) with { Settings = new RouteSettings { ResponseTimeout = TimeSpan.FromMilliseconds(300) } });

        var clock = Stopwatch.StartNew();
        var reply = await rig.SendAsync(HttpMethod.Get, port, "/", null);

        Assert.Equal(504, reply.Status);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"answered after {clock.Elapsed.TotalSeconds:0.0} s, the timeout is 300 ms");
    }
}
