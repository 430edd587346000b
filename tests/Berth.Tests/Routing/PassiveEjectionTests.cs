using Berth.Tests.Infrastructure;
using System.Diagnostics;
using Berth.Routing;

namespace Berth.Tests.Routing;

[Collection(RoutingCollection.Name)]
public sealed class PassiveEjectionTests
{
    [Fact]
    public async Task Request_ReplicaFailsConsecutively_EjectedThenReinstatedAfterPeriod()
    {
        var period = TimeSpan.FromSeconds(2);
        await using var rig = new RouterRig();
        var upstreams = await TestUpstream.StartManyAsync("a", "b", "bad");
        await using var a = upstreams[0];
        await using var b = upstreams[1];
        await using var bad = upstreams[2];
        bad.FailEvery = 1;
        var port = LoopbackPort.Free();
        var settings = new RouteSettings { Balancing = BalancingPolicies.RoundRobin, EjectAfterFailures = 3, EjectionPeriod = period };
        await rig.ApplyOrFailAsync(RouterRig.Route("web", port, a, b, bad) with { Settings = settings });

        // Round robin: "bad" sees every third request until its third 500 ejects it.
        for (var i = 0; i < 30 && bad.Requests < 3; i++)
        {
            await rig.GetAsync(port);
        }

        Assert.Equal(3, bad.Requests);

        // YARP runs the passive health policy after the response has reached the client: wait until the ejection is
        // recorded, or the concurrent requests below could reach the replica in between.
        var ejectedAt = Stopwatch.StartNew();
        while (rig.Metrics.EjectionsOf("web") == 0 && ejectedAt.Elapsed < period / 2)
        {
            await Task.Delay(5);
        }

        Assert.Equal(1, rig.Metrics.EjectionsOf("web"));
        Assert.Contains("berth_router_ejections_total{service=\"web\"} 1", await rig.Metrics.PrometheusTextAsync(CancellationToken.None));
        var afterEjection = await rig.GetManyAsync(port, 100);
        var spent = ejectedAt.Elapsed;

        Assert.True(spent < period, $"the 100 requests took {spent}, longer than the ejection period {period}: the check below would prove nothing");
        Assert.True(bad.Requests == 3, $"an ejected replica still got {bad.Requests - 3} of the next 100 requests");
        ReplyAssertions.AllOk(afterEjection, "after ejection");

        // It recovers; once the ejection period has passed it is tried again and kept.
        bad.FailEvery = 0;
        await Task.Delay(period - ejectedAt.Elapsed + TimeSpan.FromMilliseconds(300));
        var afterPeriod = await rig.GetManyAsync(port, 30, workers: 1);

        ReplyAssertions.AllOk(afterPeriod, "after the ejection period");
        Assert.True(bad.Requests - 3 >= 9, $"the recovered replica got only {bad.Requests - 3} of 30 requests after the ejection period (round robin: ~10)");
    }
}
