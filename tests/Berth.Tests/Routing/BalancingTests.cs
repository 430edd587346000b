using Berth.Tests.Infrastructure;
using Berth.Routing;

namespace Berth.Tests.Routing;

[Collection(RoutingCollection.Name)]
public sealed class BalancingTests
{
    [Fact]
    public async Task ApplyAsync_RoundRobinOverThreeReplicas_EachGetsAThirdExactly()
    {
        await using var rig = new RouterRig();
        var upstreams = await TestUpstream.StartManyAsync("a", "b", "c");
        await using var a = upstreams[0];
        await using var b = upstreams[1];
        await using var c = upstreams[2];
        var port = LoopbackPort.Free();
        await rig.ApplyOrFailAsync(RouterRig.Route("web", port, a, b, c) with { Settings = new RouteSettings { Balancing = BalancingPolicies.RoundRobin } });

        var replies = await rig.GetManyAsync(port, 600);

        ReplyAssertions.AllOk(replies, "round_robin");
        var counts = ReplyAssertions.CountByBody(replies);
        foreach (var upstream in upstreams)
        {
            Assert.True(
                Math.Abs(upstream.Requests - 200) <= 1,
                $"round_robin: {upstream.Name} got {upstream.Requests} of 600 (want 200 ± 1); replies by body: {ReplyAssertions.Describe(counts)}");
        }
    }

    [Fact]
    public async Task ApplyAsync_PowerOfTwoChoicesOverThreeReplicas_EachGetsAFairShare()
    {
        await using var rig = new RouterRig();
        var upstreams = await TestUpstream.StartManyAsync("a", "b", "c");
        await using var a = upstreams[0];
        await using var b = upstreams[1];
        await using var c = upstreams[2];
        var port = LoopbackPort.Free();
        await rig.ApplyOrFailAsync(RouterRig.Route("web", port, a, b, c));
        Assert.Equal(BalancingPolicies.PowerOfTwoChoices, rig.Router.Current("web")!.Settings.Balancing);

        var replies = await rig.GetManyAsync(port, 600);

        ReplyAssertions.AllOk(replies, "power_of_two_choices");
        foreach (var upstream in upstreams)
        {
            var share = upstream.Requests / 600.0;
            Assert.True(
                share is >= 0.20 and <= 0.47,
                $"power_of_two_choices: {upstream.Name} got {upstream.Requests} of 600 ({share:P1}); want 20–47 %. All: {ReplyAssertions.Describe(ReplyAssertions.CountByBody(replies))}");
        }
    }
}
