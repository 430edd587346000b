using Berth.Tests.Infrastructure;
using System.Diagnostics;
using Berth.Routing;

namespace Berth.Tests.Routing;

[Collection(RoutingCollection.Name)]
public sealed class ReplicaLossTests
{
    private static readonly TimeSpan MaxLoadDuration = TimeSpan.FromSeconds(6);
    private static readonly TimeSpan LoadAfterLoss = TimeSpan.FromSeconds(1);
    private const int Workers = 4;
    private const int MaxRequests = 40_000;

    /// <summary>Starts load once everything is warm and returns when <paramref name="victim"/> is visibly taking part in it.</summary>
    private static async Task<Task<IReadOnlyList<Reply>>> StartLoadAsync(RouterRig rig, int port, TestUpstream victim, CancellationToken stop)
    {
        ReplyAssertions.AllOk(await rig.GetManyAsync(port, 60, workers: 2), "warm-up");
        var before = victim.Requests;
        var load = rig.LoadAsync(port, Workers, MaxLoadDuration, MaxRequests, stop);
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        while (victim.Requests < before + 50 && deadline.Elapsed < TimeSpan.FromSeconds(3))
        {
            await Task.Delay(10);
        }

        Assert.True(victim.Requests >= before + 50, $"{victim.Name} got only {victim.Requests - before} requests of the load: the test would prove nothing");
        return load;
    }

    [Fact]
    public async Task Load_ReplicaKilledButStillListed_NoRequestFails()
    {
        await using var rig = new RouterRig();
        var upstreams = await TestUpstream.StartManyAsync("a", "b", "c");
        await using var a = upstreams[0];
        await using var b = upstreams[1];
        await using var c = upstreams[2];
        var port = LoopbackPort.Free();
        await rig.ApplyOrFailAsync(RouterRig.Route("web", port, a, b, c));

        using var stop = new CancellationTokenSource();
        var load = await StartLoadAsync(rig, port, c, stop.Token);
        await c.StopAsync();
        stop.CancelAfter(LoadAfterLoss);
        var replies = await load;

        ReplyAssertions.AllOk(replies, "load while replica c was killed");
        Assert.True(replies.Count > 100, $"only {replies.Count} requests were sent");
    }

    [Fact]
    public async Task DrainAsync_BeforeReplicaStops_NoRequestFailsAndNoneReachesIt()
    {
        await using var rig = new RouterRig();
        var upstreams = await TestUpstream.StartManyAsync("a", "b", "c");
        await using var a = upstreams[0];
        await using var b = upstreams[1];
        await using var c = upstreams[2];
        var port = LoopbackPort.Free();
        await rig.ApplyOrFailAsync(RouterRig.Route("web", port, a, b, c));

        using var stop = new CancellationTokenSource();
        var load = await StartLoadAsync(rig, port, c, stop.Token);
        await rig.Router.DrainAsync("web", "c", CancellationToken.None);
        var drained = Stopwatch.GetTimestamp();
        await c.StopAsync();
        stop.CancelAfter(LoadAfterLoss);
        var replies = await load;

        ReplyAssertions.AllOk(replies, "load while replica c was drained then stopped");
        Assert.True(c.ArrivalsAfter(drained) == 0, $"{c.ArrivalsAfter(drained)} requests reached c after DrainAsync returned");
        Assert.DoesNotContain(rig.Router.Current("web")!.Stable.Destinations, d => d.ReplicaId == "c");
    }

    [Fact]
    public async Task DrainAsync_RequestInFlight_ReturnsAfterItCompleted()
    {
        var latency = TimeSpan.FromMilliseconds(500);
        await using var rig = new RouterRig();
        await using var slow = await TestUpstream.StartAsync("slow");
        slow.Latency = latency;
        var port = LoopbackPort.Free();
        await rig.ApplyOrFailAsync(RouterRig.Route("web", port, slow));

        var request = rig.GetAsync(port);
        var deadline = Stopwatch.StartNew();
        while (slow.InFlight == 0 && deadline.Elapsed < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(5);
        }

        Assert.Equal(1, slow.InFlight);
        var clock = Stopwatch.StartNew();
        await rig.Router.DrainAsync("web", "slow", CancellationToken.None);
        var drainTook = clock.Elapsed;
        var drainedAt = Stopwatch.GetTimestamp();
        var reply = await request;

        Assert.True(reply.Ok, $"the in-flight request failed: {reply}");
        Assert.Equal("slow", reply.Body);
        Assert.True(slow.LastFinishedTimestamp != 0 && slow.LastFinishedTimestamp < drainedAt, "DrainAsync returned before the upstream had answered");
        Assert.True(drainTook >= latency / 2, $"DrainAsync returned after {drainTook.TotalMilliseconds:F0} ms; the request still had most of {latency.TotalMilliseconds} ms to go");
        Assert.True(drainTook < TimeSpan.FromSeconds(5), $"DrainAsync took {drainTook}");
    }
}
