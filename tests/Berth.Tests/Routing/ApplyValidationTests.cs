using Berth.Tests.Infrastructure;
using System.Net;
using System.Net.Sockets;
using Berth.Routing;

namespace Berth.Tests.Routing;

[Collection(RoutingCollection.Name)]
public sealed class ApplyValidationTests
{
    private static async Task AssertStillServesAsync(RouterRig rig, int port, ServiceRoute expected)
    {
        var reply = await rig.GetAsync(port);
        Assert.True(reply.Ok, $"the previous route stopped serving after a refused change: {reply}");
        Assert.Equal("a", reply.Body);
        Assert.Equal(expected, rig.Router.Current(expected.Service));
    }

    [Fact]
    public async Task ApplyAsync_Weight101_RefusedNamingServiceAndOldRouteServes()
    {
        await using var rig = new RouterRig();
        await using var a = await TestUpstream.StartAsync("a");
        await using var b = await TestUpstream.StartAsync("b");
        var port = LoopbackPort.Free();
        var route = RouterRig.Route("web", port, a);
        await rig.ApplyOrFailAsync(route);

        var result = await rig.Router.ApplyAsync(route with { Candidate = RouterRig.Pool("candidate", 2, b), CandidateWeight = 101 }, CancellationToken.None);

        Assert.False(result.Applied);
        Assert.Contains("web", result.Error);
        Assert.Contains("101", result.Error);
        await AssertStillServesAsync(rig, port, route);
    }

    [Fact]
    public async Task ApplyAsync_UnknownBalancing_RefusedListingValidPolicies()
    {
        await using var rig = new RouterRig();
        await using var a = await TestUpstream.StartAsync("a");
        var port = LoopbackPort.Free();
        var route = RouterRig.Route("web", port, a);
        await rig.ApplyOrFailAsync(route);

        var result = await rig.Router.ApplyAsync(route with { Settings = new RouteSettings { Balancing = "fastest" } }, CancellationToken.None);

        Assert.False(result.Applied);
        Assert.Contains("web", result.Error);
        Assert.Contains("fastest", result.Error);
        Assert.All(BalancingPolicies.All, name => Assert.Contains(name, result.Error));
        await AssertStillServesAsync(rig, port, route);
    }

    [Fact]
    public async Task ApplyAsync_PortPublishedByAnotherService_RefusedNamingIt()
    {
        await using var rig = new RouterRig();
        await using var a = await TestUpstream.StartAsync("a");
        await using var other = await TestUpstream.StartAsync("other");
        var port = LoopbackPort.Free();
        var route = RouterRig.Route("web", port, a);
        await rig.ApplyOrFailAsync(route);

        var result = await rig.Router.ApplyAsync(RouterRig.Route("api", port, other), CancellationToken.None);

        Assert.False(result.Applied);
        Assert.Contains("api", result.Error);
        Assert.Contains("service web", result.Error);
        Assert.Contains(port.ToString(System.Globalization.CultureInfo.InvariantCulture), result.Error);
        Assert.Null(rig.Router.Current("api"));
        await AssertStillServesAsync(rig, port, route);
    }

    [Fact]
    public async Task ApplyAsync_PortHeldByAnotherProgram_RefusedAlreadyInUseAndOldRouteServes()
    {
        await using var rig = new RouterRig();
        await using var a = await TestUpstream.StartAsync("a");
        var port = LoopbackPort.Free();
        var route = RouterRig.Route("web", port, a);
        await rig.ApplyOrFailAsync(route);
        var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        try
        {
            var taken = ((IPEndPoint)squatter.LocalEndpoint).Port;

            var addPort = await rig.Router.ApplyAsync(route with { FrontDoors = [.. route.FrontDoors, new FrontDoorAddress("127.0.0.1", taken)] }, CancellationToken.None);
            var newService = await rig.Router.ApplyAsync(RouterRig.Route("api", taken, a), CancellationToken.None);

            Assert.False(addPort.Applied);
            Assert.Contains("web", addPort.Error);
            Assert.Contains("already in use", addPort.Error);
            Assert.Contains("another program", addPort.Error);
            Assert.False(newService.Applied);
            Assert.Contains("already in use", newService.Error);
            Assert.Null(rig.Router.Current("api"));
            await AssertStillServesAsync(rig, port, route);
        }
        finally
        {
            squatter.Stop();
        }
    }

    [Fact]
    public async Task RemoveAsync_Service_FrontDoorClosedAndPortFreeForAnother()
    {
        await using var rig = new RouterRig();
        await using var a = await TestUpstream.StartAsync("a");
        var port = LoopbackPort.Free();
        await rig.ApplyOrFailAsync(RouterRig.Route("web", port, a));

        await rig.Router.RemoveAsync("web", CancellationToken.None);
        var reply = await rig.GetAsync(port);

        Assert.Equal(0, reply.Status);
        Assert.Null(rig.Router.Current("web"));
        Assert.Empty(rig.Router.All());
        await rig.ApplyOrFailAsync(RouterRig.Route("api", port, a));
        Assert.True((await rig.GetAsync(port)).Ok);
    }
}
