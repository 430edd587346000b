using Berth.Tests.Infrastructure;
using Berth.Routing;

namespace Berth.Tests.Routing;

[Collection(RoutingCollection.Name)]
public sealed class RetryTests
{
    [Fact]
    public async Task Get_ReplicaStoppedButStillListed_RetriedOnAnotherReplica()
    {
        await using var rig = new RouterRig();
        await using var dead = await TestUpstream.StartAsync("dead");
        await using var alive = await TestUpstream.StartAsync("alive");
        await dead.StopAsync();
        var port = LoopbackPort.Free();
        // Ejection off, so every other request really meets the refused connection.
        var settings = new RouteSettings { Balancing = BalancingPolicies.RoundRobin, EjectAfterFailures = 1000 };
        await rig.ApplyOrFailAsync(RouterRig.Route("web", port, dead, alive) with { Settings = settings });

        var replies = await rig.GetManyAsync(port, 20, workers: 1);

        ReplyAssertions.AllOk(replies, "GETs with a dead replica listed");
        Assert.All(replies, r => Assert.Equal("alive", r.Body));
        Assert.All(replies, r => Assert.Equal("release=1; replica=alive", r.ServedBy));
        Assert.Equal(20, alive.Requests);

        // The failed first attempts count against the dead replica, the answers for the live one.
        var deadKpis = rig.Metrics.ForReplica("web", "dead", TimeSpan.FromMinutes(1));
        Assert.True(deadKpis.ConnectionErrors >= 5, $"dead replica's connection errors: {deadKpis.ConnectionErrors}");
        Assert.Equal(20, rig.Metrics.ForReplica("web", "alive", TimeSpan.FromMinutes(1)).Status2xx);
    }

    [Fact]
    public async Task Post_WithBodyToStoppedReplica_NotRetried502()
    {
        await using var rig = new RouterRig();
        await using var dead = await TestUpstream.StartAsync("dead");
        await using var alive = await TestUpstream.StartAsync("alive");
        await dead.StopAsync();
        var port = LoopbackPort.Free();
        var settings = new RouteSettings { Balancing = BalancingPolicies.RoundRobin, EjectAfterFailures = 1000 };
        await rig.ApplyOrFailAsync(RouterRig.Route("web", port, dead, alive) with { Settings = settings });

        var replies = new List<Reply>();
        for (var i = 0; i < 10; i++)
        {
            using var body = new StringContent("{\"n\":" + i + "}");
            replies.Add(await rig.SendAsync(HttpMethod.Post, port, "/orders", body));
        }

        var badGateway = replies.Count(r => r.Status == 502);
        Assert.True(badGateway is >= 4 and <= 6, $"round robin over [dead, alive]: want ~5 of 10 POSTs to get 502, got {badGateway}: {string.Join("; ", replies)}");
        Assert.True(replies.All(r => r.Status is 200 or 502), string.Join("; ", replies));
        Assert.True(alive.CountOf("POST") == 10 - badGateway, $"the live replica got {alive.CountOf("POST")} POSTs, want {10 - badGateway}: a POST with a body was retried");
    }
}
