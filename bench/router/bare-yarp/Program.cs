// bench/router "bare-yarp": the smallest YARP reverse proxy, as YARP's documentation sets one up (in-memory config,
// one catch-all route, one cluster, PowerOfTwoChoices), with the same Kestrel and HTTP-client settings as a Berth
// front door (src/Berth/Routing/FrontDoor.cs) but none of Berth's middlewares (metrics, pool selection, retry,
// passive health, served-by header).
// Usage: dotnet BareYarp.dll LISTEN_PORT UPSTREAM_HOST:PORT [UPSTREAM_HOST:PORT ...]
using System.Net;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

if (args.Length < 2 || !int.TryParse(args[0], out var listenPort))
{
    Console.Error.WriteLine("usage: BareYarp LISTEN_PORT UPSTREAM_HOST:PORT [UPSTREAM_HOST:PORT ...]");
    return 2;
}

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = true);
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.AddServerHeader = false;
    kestrel.Listen(IPAddress.Loopback, listenPort);
});
builder.Services.AddSingleton<IForwarderHttpClientFactory, NoPropagationClientFactory>();

var route = new RouteConfig { RouteId = "all", ClusterId = "upstreams", Match = new RouteMatch { Path = "{**catch-all}" } };
var destinations = args.Skip(1)
    .Select((address, index) => (address, index))
    .ToDictionary(d => $"u{d.index + 1}", d => new DestinationConfig { Address = $"http://{d.address}" });
var cluster = new ClusterConfig { ClusterId = "upstreams", LoadBalancingPolicy = "PowerOfTwoChoices", Destinations = destinations };
builder.Services.AddReverseProxy().LoadFromMemory([route], [cluster]);

var app = builder.Build();
app.MapReverseProxy();
await app.RunAsync();
return 0;

/// <summary>YARP's default forwarder client without trace-header propagation, as Berth's front doors use.</summary>
internal sealed class NoPropagationClientFactory : ForwarderHttpClientFactory
{
    protected override void ConfigureHandler(ForwarderHttpClientContext context, SocketsHttpHandler handler)
    {
        base.ConfigureHandler(context, handler);
        handler.ActivityHeadersPropagator = null;
    }
}
