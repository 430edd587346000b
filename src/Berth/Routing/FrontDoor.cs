using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Berth.Routing.Handover;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace Berth.Routing;

/// <summary>
/// One listener of the router: a Kestrel endpoint on a published port with its own YARP pipeline
/// (pool selection → retry → load balancing → passive health → forwarder), fed by an in-memory config provider.
/// </summary>
internal sealed class FrontDoor : IFrontDoor
{
    private readonly WebApplication _app;
    private readonly RouteSnapshot _snapshot;
    private readonly InMemoryConfigProvider _config;
    private readonly IProxyStateLookup _lookup;
    private readonly ListenerSockets _listeners;

    private FrontDoor(FrontDoorAddress address, bool preview, WebApplication app, RouteSnapshot snapshot, ListenerSockets listeners)
    {
        _listeners = listeners;
        Address = address;
        Preview = preview;
        _app = app;
        _snapshot = snapshot;
        _config = app.Services.GetRequiredService<InMemoryConfigProvider>();
        _lookup = app.Services.GetRequiredService<IProxyStateLookup>();
    }

    public FrontDoorAddress Address { get; }

    public bool Preview { get; }

    /// <summary>Starts listening; throws <see cref="IOException"/> when the address cannot be bound (e.g. port taken).</summary>
    public static async Task<FrontDoor> StartAsync(FrontDoorAddress address, bool preview, ServiceRoute route, RouterMetrics metrics, ListenerSockets listeners, CancellationToken cancellationToken)
    {
        var snapshot = new RouteSnapshot(route);
        // The empty builder: a front door reads no configuration files or environment variables and logs nothing, so
        // starting one (a first deploy publishes a port) costs only Kestrel, routing and YARP.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.Services.AddLogging();
        builder.WebHost.UseSockets(sockets =>
        {
            // Measured (docs/concepts/router.md, Performance): run Kestrel's continuations where the socket operation
            // completed (a thread-pool thread) instead of hopping through Kestrel's own I/O queue and then the pool
            // again. Safe here: nothing in the front door's pipeline blocks.
            sockets.UnsafePreferInlineScheduling = true;

            // The listening socket comes from the router this one replaced when it handed it over (berth router restart).
            sockets.CreateBoundListenSocket = listeners.CreateBound;
        });
        builder.Services.AddSingleton<IForwarderHttpClientFactory, FrontDoorHttpClientFactory>();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(ParseHost(address.Host), address.Port);
        });
        builder.Services.AddSingleton(snapshot);
        builder.Services.AddSingleton(metrics);
        builder.Services.AddSingleton(new FrontDoorRole(preview));
        builder.Services.AddSingleton<IPassiveHealthCheckPolicy, ConsecutiveFailuresPolicy>();
        var (routes, clusters) = YarpConfigBuilder.Build(route);
        builder.Services.AddReverseProxy().LoadFromMemory(routes, clusters);
        WithoutKeyRingLoading(builder.Services);

        var app = builder.Build();
        app.UseMiddleware<RequestMetricsMiddleware>();
        app.MapReverseProxy(proxy =>
        {
            proxy.UseMiddleware<PoolSelectionMiddleware>();
            proxy.UseMiddleware<RetryMiddleware>();
            proxy.UseLoadBalancing();
            proxy.UsePassiveHealthChecks();
        });
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return new FrontDoor(address, preview, app, snapshot, listeners);
    }

    /// <summary>Swaps in a new route: YARP's clusters first (so the candidate cluster exists), then the split.</summary>
    public void Apply(ServiceRoute route)
    {
        var (routes, clusters) = YarpConfigBuilder.Build(route);
        _config.Update(routes, clusters);
        _snapshot.Replace(route);
    }

    public ServiceRoute Route => _snapshot.Route;

    /// <summary>Requests in flight to a replica right now (YARP's own count).</summary>
    public int InFlight(string replicaId)
    {
        var count = 0;
        foreach (var cluster in _lookup.GetClusters())
        {
            if (cluster.Destinations.TryGetValue(replicaId, out var destination))
            {
                count += destination.ConcurrentRequestCount;
            }
        }

        return count;
    }

    /// <summary>YARP's destination objects for a replica, kept so its in-flight count can be watched after it leaves the config.</summary>
    public IReadOnlyList<DestinationState> DestinationsOf(string replicaId) =>
        _lookup.GetClusters().Select(c => c.Destinations.TryGetValue(replicaId, out var d) ? d : null).OfType<DestinationState>().ToList();

    public Func<int> InFlightOf(string replicaId)
    {
        var destinations = DestinationsOf(replicaId);
        return () => destinations.Sum(d => d.ConcurrentRequestCount);
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _app.StopAsync(timeout.Token);
        }
        finally
        {
            _listeners.Release(new IPEndPoint(ParseHost(Address.Host), Address.Port));
            await _app.DisposeAsync();
        }
    }

    /// <summary>
    /// YARP registers ASP.NET's data protection (for its session-affinity cookies, which Berth does not use: its sticky
    /// buckets hash the user), whose hosted service loads — or creates and writes — the key ring under ~/.aspnet each
    /// time a host starts, and whose provider makes that folder. A front door is a host: it gets an in-memory provider
    /// instead, and starts without touching the folder.
    /// </summary>
    private static void WithoutKeyRingLoading(IServiceCollection services)
    {
        services.Replace(ServiceDescriptor.Singleton<IDataProtectionProvider>(new EphemeralDataProtectionProvider()));
        foreach (var hosted in services.Where(d => d.ServiceType == typeof(IHostedService)
                     && d.ImplementationType?.FullName == "Microsoft.AspNetCore.DataProtection.Internal.DataProtectionHostedService").ToList())
        {
            services.Remove(hosted);
        }
    }

    /// <summary>The address a door binds for a host_ip ("", "0.0.0.0" and "*" mean every interface).</summary>
    internal static IPAddress ParseHost(string host) =>
        host is "" or "0.0.0.0" or "*" ? IPAddress.Any : host == "localhost" ? IPAddress.Loopback : IPAddress.Parse(host);
}
