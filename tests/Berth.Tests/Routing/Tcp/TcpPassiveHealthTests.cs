using Berth.Routing;
using Berth.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Berth.Tests.Routing.Tcp;

/// <summary>A replica that refuses connects is skipped for the next one, then ejected for a while.</summary>
[Collection(RoutingCollection.Name)]
public sealed class TcpPassiveHealthTests
{
    [Fact]
    public async Task Connect_OneReplicaRefuses_EveryConnectionReachesALiveReplica()
    {
        await using var dead = TcpEchoReplica.Start("dead");
        await using var a = TcpEchoReplica.Start("a");
        await using var b = TcpEchoReplica.Start("b");
        await dead.StopAsync();
        await using var rig = new TcpRig();
        var port = LoopbackPort.Free();
        await rig.ApplyOrFailAsync(TcpRig.Route("db", port, new RouteSettings { Balancing = BalancingPolicies.RoundRobin }, dead, a, b));

        var reached = await TcpRig.ConnectManyAsync(port, 12);

        Assert.All(reached, r => Assert.Contains(r, new[] { "a", "b" }));
        Assert.Equal(12, a.Accepted + b.Accepted);
        Assert.Equal(0, rig.Metrics.ForRelease("db", 1, TimeSpan.FromMinutes(1)).ConnectionErrors);
    }

    [Fact]
    public async Task Connect_ReplicaRefusesThreeTimes_EjectedUntilTheEjectionPeriodHasPassed()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var flaky = TcpEchoReplica.Start("flaky");
        var flakyAddress = flaky.Address;
        await flaky.DisposeAsync();
        await using var a = TcpEchoReplica.Start("a");
        await using var rig = new TcpRig(time);
        var port = LoopbackPort.Free();
        var settings = new RouteSettings { Balancing = BalancingPolicies.RoundRobin, EjectAfterFailures = 3, EjectionPeriod = TimeSpan.FromSeconds(5) };
        var route = TcpRig.Route("db", port, settings, a) with
        {
            Stable = new RoutePool("stable", 1, [new RouteDestination("flaky", 1, flakyAddress), a.Destination(1)]),
        };
        await rig.ApplyOrFailAsync(route);

        // Round robin tries "flaky" first for every other connection, until its third refusal ejects it.
        Assert.All(await TcpRig.ConnectManyAsync(port, 20), r => Assert.Equal("a", r));
        Assert.Equal(1, rig.Metrics.EjectionsOf("db"));

        // Back on its port once ejected, it gets connections again only after the ejection period.
        await using var back = TcpEchoReplica.StartOn("flaky", flakyAddress);
        Assert.All(await TcpRig.ConnectManyAsync(port, 4), r => Assert.Equal("a", r));
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Contains("flaky", await TcpRig.ConnectManyAsync(port, 4));
    }

    [Fact]
    public async Task Connect_EveryReplicaRefuses_ClosedWithoutDataAndCountedAsConnectionError()
    {
        var gone = TcpEchoReplica.Start("gone");
        await gone.DisposeAsync();
        await using var rig = new TcpRig();
        var port = LoopbackPort.Free();
        await rig.ApplyOrFailAsync(TcpRig.Route("db", port, new RouteSettings(), gone));

        using var session = await TcpSession.ConnectAsync(port);

        Assert.Null(session.Replica);
        Assert.Equal(1, rig.Metrics.ForRelease("db", 1, TimeSpan.FromMinutes(1)).ConnectionErrors);
    }

    [Fact]
    public async Task Connect_EmptyPool_ClosedWithoutData()
    {
        await using var rig = new TcpRig();
        var port = LoopbackPort.Free();
        await rig.ApplyOrFailAsync(TcpRig.Route("db", port, new RouteSettings()));

        using var session = await TcpSession.ConnectAsync(port);

        Assert.Null(session.Replica);
    }
}
