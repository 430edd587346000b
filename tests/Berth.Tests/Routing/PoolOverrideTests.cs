using Berth.Tests.Infrastructure;
using Berth.Routing;

namespace Berth.Tests.Routing;

[Collection(RoutingCollection.Name)]
public sealed class PoolOverrideTests
{
    private static ServiceRoute Split(int port, TestUpstream stable, TestUpstream candidate, int weight) =>
        RouterRig.Route("web", port, stable) with { Candidate = RouterRig.Pool("candidate", 2, candidate), CandidateWeight = weight };

    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    public async Task Request_OverrideHeader_ForcesPoolRegardlessOfWeight(int weight)
    {
        await using var rig = new RouterRig();
        await using var a = await TestUpstream.StartAsync("A");
        await using var b = await TestUpstream.StartAsync("B");
        var port = LoopbackPort.Free();
        await rig.ApplyOrFailAsync(Split(port, a, b, weight));

        var canary = await rig.GetManyAsync(port, 10, headersOf: _ => [("X-Berth-Release", "canary")]);
        var stable = await rig.GetManyAsync(port, 10, headersOf: _ => [("X-Berth-Release", "stable")]);
        var byNumber = await rig.GetAsync(port, "/", ("X-Berth-Release", "2"));

        Assert.All(canary, r => Assert.Equal("B", r.Body));
        Assert.All(stable, r => Assert.Equal("A", r.Body));
        Assert.Equal("B", byNumber.Body);
        Assert.Equal("release=2; replica=B", canary[0].ServedBy);
    }

    [Fact]
    public async Task Request_MatchRule_OnlyMatchingRequestsReachCandidate()
    {
        await using var rig = new RouterRig();
        await using var a = await TestUpstream.StartAsync("A");
        await using var b = await TestUpstream.StartAsync("B");
        var port = LoopbackPort.Free();
        var settings = new RouteSettings { Match = new MatchRule("X-Beta", null, "yes") };
        await rig.ApplyOrFailAsync(Split(port, a, b, 50) with { Settings = settings });

        var matching = await rig.GetManyAsync(port, 50, headersOf: i => [("X-Beta", "yes"), ("Cookie", $"berth_user=u{i}")]);
        var wrongValue = await rig.GetManyAsync(port, 50, headersOf: i => [("X-Beta", "no"), ("Cookie", $"berth_user=u{i}")]);
        var without = await rig.GetManyAsync(port, 50, headersOf: i => [("Cookie", $"berth_user=u{i}")]);

        Assert.All(matching, r => Assert.Equal("B", r.Body));
        Assert.All(wrongValue, r => Assert.Equal("A", r.Body));
        Assert.All(without, r => Assert.Equal("A", r.Body));
    }

    [Fact]
    public async Task Request_MatchRuleByCookie_OnlyMatchingRequestsReachCandidate()
    {
        await using var rig = new RouterRig();
        await using var a = await TestUpstream.StartAsync("A");
        await using var b = await TestUpstream.StartAsync("B");
        var port = LoopbackPort.Free();
        var settings = new RouteSettings { Match = new MatchRule(null, "beta", "1") };
        await rig.ApplyOrFailAsync(Split(port, a, b, 100) with { Settings = settings });

        var matching = await rig.GetAsync(port, "/", ("Cookie", "berth_user=x; beta=1"));
        var other = await rig.GetAsync(port, "/", ("Cookie", "berth_user=x; beta=0"));

        Assert.Equal("B", matching.Body);
        Assert.Equal("A", other.Body);
    }

    [Fact]
    public async Task Request_PreviewFrontDoor_AlwaysReachesCandidate()
    {
        await using var rig = new RouterRig();
        await using var a = await TestUpstream.StartAsync("A");
        await using var b = await TestUpstream.StartAsync("B");
        var port = LoopbackPort.Free();
        var previewPort = LoopbackPort.Free();
        await rig.ApplyOrFailAsync(Split(port, a, b, 0) with { Preview = new FrontDoorAddress("127.0.0.1", previewPort) });

        var preview = await rig.GetManyAsync(previewPort, 20, headersOf: i => [("Cookie", $"berth_user=u{i}")]);
        var main = await rig.GetManyAsync(port, 20, headersOf: i => [("Cookie", $"berth_user=u{i}")]);

        ReplyAssertions.AllOk(preview, "preview door");
        Assert.All(preview, r => Assert.Equal("B", r.Body));
        Assert.All(main, r => Assert.Equal("A", r.Body));
    }
}
