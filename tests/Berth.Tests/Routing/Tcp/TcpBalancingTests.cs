using Berth.Routing;
using Berth.Tests.Infrastructure;

namespace Berth.Tests.Routing.Tcp;

/// <summary>Connection-level balancing of a TCP front door over real echo replicas on loopback.</summary>
[Collection(RoutingCollection.Name)]
public sealed class TcpBalancingTests
{
    [Fact]
    public async Task Connect_TwoReplicasRoundRobin_ConnectionsLandOnEachAndBytesFlowBothWays()
    {
        await using var a = TcpEchoReplica.Start("a");
        await using var b = TcpEchoReplica.Start("b");
        await using var rig = new TcpRig();
        var port = LoopbackPort.Free();
        await rig.ApplyOrFailAsync(TcpRig.Route("db", port, new RouteSettings { Balancing = BalancingPolicies.RoundRobin }, a, b));

        var reached = await TcpRig.ConnectManyAsync(port, 10);
        using var session = await TcpSession.ConnectAsync(port);
        var echoed = await session.EchoAsync("hello through the router");

        Assert.Equal(5, reached.Count(r => r == "a"));
        Assert.Equal(5, reached.Count(r => r == "b"));
        Assert.Equal("hello through the router", echoed);
    }

    [Fact]
    public async Task Connect_DefaultBalancing_EveryReplicaGetsConnections()
    {
        await using var a = TcpEchoReplica.Start("a");
        await using var b = TcpEchoReplica.Start("b");
        await using var c = TcpEchoReplica.Start("c");
        await using var rig = new TcpRig();
        var port = LoopbackPort.Free();
        await rig.ApplyOrFailAsync(TcpRig.Route("db", port, new RouteSettings(), a, b, c));

        // Power of two choices among three idle replicas: each is one of the two drawn with probability 2/3.
        var reached = await TcpRig.ConnectManyAsync(port, 60);

        Assert.All(new[] { "a", "b", "c" }, name => Assert.Contains(name, reached));
        Assert.DoesNotContain(null, reached);
    }

    [Fact]
    public async Task Connect_LeastConnections_NewConnectionsGoToTheReplicaWithFewestOpen()
    {
        await using var a = TcpEchoReplica.Start("a");
        await using var b = TcpEchoReplica.Start("b");
        await using var rig = new TcpRig();
        var port = LoopbackPort.Free();
        var route = TcpRig.Route("db", port, new RouteSettings { Balancing = BalancingPolicies.LeastRequests }, a);
        await rig.ApplyOrFailAsync(route);
        using var held1 = await TcpSession.ConnectAsync(port);
        using var held2 = await TcpSession.ConnectAsync(port);

        // b joins while a holds two connections: the next two go to b (round robin would send one to a).
        await rig.ApplyOrFailAsync(route with { Stable = TcpRig.Pool("stable", 1, a, b) });
        using var third = await TcpSession.ConnectAsync(port);
        using var fourth = await TcpSession.ConnectAsync(port);

        Assert.Equal("a a b b", string.Join(" ", held1.Replica, held2.Replica, third.Replica, fourth.Replica));
    }

    [Fact]
    public async Task Connect_CanaryAtTwentyPercent_TwentyOfEveryHundredConnectionsReachTheCandidate()
    {
        await using var stable = TcpEchoReplica.Start("stable-1");
        await using var canary = TcpEchoReplica.Start("canary-1");
        await using var rig = new TcpRig();
        var port = LoopbackPort.Free();
        var route = TcpRig.Route("db", port, new RouteSettings(), stable) with { Candidate = TcpRig.Pool("canary", 2, canary), CandidateWeight = 20 };
        await rig.ApplyOrFailAsync(route);

        var reached = await TcpRig.ConnectManyAsync(port, 100);

        Assert.Equal(20, reached.Count(r => r == "canary-1"));
        Assert.Equal(80, reached.Count(r => r == "stable-1"));
        var window = TimeSpan.FromMinutes(1);
        Assert.Equal(20, rig.Metrics.ForRelease("db", 2, window).Requests);
        Assert.Equal(80, rig.Metrics.ForRelease("db", 1, window).Status2xx);
    }

    [Fact]
    public async Task Connect_PreviewDoor_AlwaysReachesTheCandidate()
    {
        await using var blue = TcpEchoReplica.Start("blue");
        await using var green = TcpEchoReplica.Start("green");
        await using var rig = new TcpRig();
        var (port, previewPort) = (LoopbackPort.Free(), LoopbackPort.Free());
        var route = TcpRig.Route("db", port, new RouteSettings(), blue) with
        {
            Candidate = TcpRig.Pool("green", 2, green),
            CandidateWeight = 0,
            Preview = new FrontDoorAddress("127.0.0.1", previewPort, FrontDoorProtocols.Tcp),
        };
        await rig.ApplyOrFailAsync(route);

        Assert.All(await TcpRig.ConnectManyAsync(port, 5), r => Assert.Equal("blue", r));
        Assert.All(await TcpRig.ConnectManyAsync(previewPort, 5), r => Assert.Equal("green", r));
    }

    [Fact]
    public async Task Apply_PortSwitchesFromHttpToTcp_TheSamePortNowBalancesConnections()
    {
        await using var replica = TcpEchoReplica.Start("a");
        await using var rig = new TcpRig();
        var port = LoopbackPort.Free();
        var tcp = TcpRig.Route("db", port, new RouteSettings(), replica);
        await rig.ApplyOrFailAsync(tcp with { FrontDoors = [new FrontDoorAddress("127.0.0.1", port)] });

        await rig.ApplyOrFailAsync(tcp);
        using var session = await TcpSession.ConnectAsync(port);

        Assert.Equal("a", session.Replica);
        Assert.Equal("ping", await session.EchoAsync("ping"));
        Assert.Equal($"127.0.0.1:{port}/tcp", Assert.Single(rig.Router.Current("db")!.FrontDoors).ToString());
    }

    [Fact]
    public async Task Apply_UnknownDoorProtocol_RefusedAndNothingOpened()
    {
        await using var rig = new TcpRig();
        var port = LoopbackPort.Free();
        var route = TcpRig.Route("db", port, new RouteSettings()) with { FrontDoors = [new FrontDoorAddress("127.0.0.1", port, "udp")] };

        var result = await rig.Router.ApplyAsync(route, CancellationToken.None);

        Assert.False(result.Applied);
        Assert.Equal($"service db: front door 127.0.0.1:{port} must speak http or tcp (got \"udp\")", result.Error);
        Assert.Null(rig.Router.Current("db"));
    }
}
