using Berth.Routing;
using Berth.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Tests.Routing.Tcp;

/// <summary>A real <see cref="YarpTrafficRouter"/> on a given clock, serving TCP routes on loopback.</summary>
internal sealed class TcpRig : IAsyncDisposable
{
    public TcpRig(TimeProvider? time = null)
    {
        Metrics = new RouterMetrics(time ?? TimeProvider.System);
        Router = new YarpTrafficRouter(Metrics, NullLogger<YarpTrafficRouter>.Instance);
    }

    public RouterMetrics Metrics { get; }

    public YarpTrafficRouter Router { get; }

    public static RoutePool Pool(string name, int release, params TcpEchoReplica[] replicas) =>
        new(name, release, replicas.Select(r => r.Destination(release)).ToList());

    /// <summary>A route with one TCP door on <paramref name="port"/> and a stable pool (release 1).</summary>
    public static ServiceRoute Route(string service, int port, RouteSettings settings, params TcpEchoReplica[] stable) => new()
    {
        Service = service,
        FrontDoors = [new FrontDoorAddress("127.0.0.1", port, FrontDoorProtocols.Tcp)],
        Stable = Pool("stable", 1, stable),
        Settings = settings,
    };

    public async Task ApplyOrFailAsync(ServiceRoute route)
    {
        var result = await Router.ApplyAsync(route, CancellationToken.None);
        Assert.True(result.Applied, $"ApplyAsync({route.Service}) was refused: {result.Error}");
    }

    /// <summary>Opens <paramref name="count"/> connections one after the other, closing each; returns the replica each reached.</summary>
    public static async Task<List<string?>> ConnectManyAsync(int port, int count)
    {
        var reached = new List<string?>();
        for (var i = 0; i < count; i++)
        {
            using var session = await TcpSession.ConnectAsync(port);
            reached.Add(session.Replica);
        }

        return reached;
    }

    public ValueTask DisposeAsync() => Router.DisposeAsync();
}
