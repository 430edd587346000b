using Berth.Tests.Infrastructure;
using Berth.Routing;

namespace Berth.Tests.Routing;

[Collection(RoutingCollection.Name)]
public sealed class WeightChangeTests
{
    [Fact]
    public async Task ApplyAsync_WeightFlippedUnderLoad_EveryRequestServedAndFinalWeightHolds()
    {
        await using var rig = new RouterRig();
        await using var a = await TestUpstream.StartAsync("A");
        await using var b = await TestUpstream.StartAsync("B");
        var port = LoopbackPort.Free();
        var route = RouterRig.Route("web", port, a) with { Candidate = RouterRig.Pool("candidate", 2, b) };
        await rig.ApplyOrFailAsync(route);

        using var stop = new CancellationTokenSource();
        var load = rig.LoadAsync(port, workers: 4, TimeSpan.FromSeconds(10), maxRequests: 50_000, stop.Token);
        for (var flip = 0; flip < 40; flip++)
        {
            await rig.ApplyOrFailAsync(route with { CandidateWeight = flip % 2 == 0 ? 100 : 0 });
            await Task.Delay(10);
        }

        await rig.ApplyOrFailAsync(route with { CandidateWeight = 100 });
        await stop.CancelAsync();
        var during = await load;

        ReplyAssertions.AllOk(during, "while the weight flipped");
        var counts = ReplyAssertions.CountByBody(during);
        Assert.True(counts.Keys.All(k => k is "A" or "B"), $"unexpected answers: {ReplyAssertions.Describe(counts)}");
        Assert.True(counts.GetValueOrDefault("A") > 0 && counts.GetValueOrDefault("B") > 0, $"both pools should have served during the flips: {ReplyAssertions.Describe(counts)}");

        var after = await rig.GetManyAsync(port, 200);
        var afterCounts = ReplyAssertions.CountByBody(after);
        Assert.True(afterCounts.GetValueOrDefault("B") == 200, $"after ApplyAsync(weight 100) returned: {ReplyAssertions.Describe(afterCounts)}");
    }
}
