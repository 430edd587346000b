using System.Diagnostics;
using Berth.Routing;
using Berth.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Berth.Tests.Routing.Tcp;

/// <summary>
/// A replica taken out of a TCP route: its open connections keep flowing until they close or the stop grace elapses
/// (then the router closes them); new connections never reach it.
/// </summary>
[Collection(RoutingCollection.Name)]
public sealed class TcpDrainTests
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(30);
    private static readonly RouteSettings Settings = new() { Balancing = BalancingPolicies.RoundRobin, StopGracePeriod = Grace };

    [Fact]
    public async Task Apply_ReplicaLeavesRoute_OpenConnectionFlowsNewOnesGoElsewhereThenClosedAfterGrace()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var a = TcpEchoReplica.Start("a");
        await using var b = TcpEchoReplica.Start("b");
        await using var rig = new TcpRig(time);
        var port = LoopbackPort.Free();
        var route = TcpRig.Route("db", port, Settings, a, b);
        await rig.ApplyOrFailAsync(route);
        using var open = await TcpSession.ConnectAsync(port);
        Assert.Equal("a", open.Replica);

        await rig.ApplyOrFailAsync(route with { Stable = TcpRig.Pool("stable", 1, b) });

        Assert.Equal("still flowing", await open.EchoAsync("still flowing"));
        Assert.All(await TcpRig.ConnectManyAsync(port, 4), r => Assert.Equal("b", r));
        time.Advance(Grace - TimeSpan.FromSeconds(1));
        Assert.Equal("one second left", await open.EchoAsync("one second left"));

        time.Advance(TimeSpan.FromSeconds(1));

        Assert.True(await open.ClosedByPeerAsync(TimeSpan.FromSeconds(10)), "the connection was still open after the grace");
        Assert.Equal(1, a.Accepted);
    }

    [Fact]
    public async Task Apply_ReplicaBackInTheRouteBeforeTheGraceEnds_ConnectionKeptOpen()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var a = TcpEchoReplica.Start("a");
        await using var b = TcpEchoReplica.Start("b");
        await using var rig = new TcpRig(time);
        var port = LoopbackPort.Free();
        var route = TcpRig.Route("db", port, Settings, a, b);
        await rig.ApplyOrFailAsync(route);
        using var open = await TcpSession.ConnectAsync(port);

        await rig.ApplyOrFailAsync(route with { Stable = TcpRig.Pool("stable", 1, b) });
        time.Advance(Grace / 2);
        await rig.ApplyOrFailAsync(route);
        time.Advance(Grace);

        Assert.Equal("a", open.Replica);
        Assert.Equal("kept", await open.EchoAsync("kept"));
    }

    [Fact]
    public async Task DrainAsync_ClientClosesItsConnection_DrainEndsWithoutWaitingForTheTimeout()
    {
        await using var a = TcpEchoReplica.Start("a");
        await using var b = TcpEchoReplica.Start("b");
        await using var rig = new TcpRig();
        var port = LoopbackPort.Free();
        await rig.ApplyOrFailAsync(TcpRig.Route("db", port, Settings with { DrainTimeout = TimeSpan.FromSeconds(30) }, a, b));
        var open = await TcpSession.ConnectAsync(port);
        Assert.Equal("a", open.Replica);

        var clock = Stopwatch.StartNew();
        var drain = rig.Router.DrainAsync("db", "a", CancellationToken.None);
        await Task.Delay(300);
        var waitedForTheConnection = !drain.IsCompleted;
        Assert.Equal("b", (await TcpSession.ConnectAsync(port)).Replica);
        open.Dispose();
        await drain.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(waitedForTheConnection, "the drain ended while a connection to the replica was open");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"the drain took {clock.Elapsed}");
    }

    [Fact]
    public async Task RemoveAsync_OpenConnection_ClosedWithTheDoor()
    {
        await using var a = TcpEchoReplica.Start("a");
        await using var rig = new TcpRig();
        var port = LoopbackPort.Free();
        await rig.ApplyOrFailAsync(TcpRig.Route("db", port, Settings, a));
        using var open = await TcpSession.ConnectAsync(port);

        await rig.Router.RemoveAsync("db", CancellationToken.None);

        Assert.True(await open.ClosedByPeerAsync(TimeSpan.FromSeconds(10)), "the connection outlived its door");
    }
}
