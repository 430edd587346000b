using Berth.Cli.Commands.Routers;
using Berth.Routing;
using Berth.Routing.Follower;
using Berth.Routing.Handover;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Berth.Server.Routers;

/// <summary>
/// `berth router run`: the data plane as a process of its own — the front doors (YARP), the router's metrics, and the
/// <see cref="RouteFollower"/> that keeps them in step with the control plane. It serves its saved routes before the
/// control plane answers, and keeps serving while the control plane is away.
/// </summary>
public static class RouterHost
{
    public static async Task<int> RunAsync(RouterRunSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        // Its folder exists for as long as it runs: deleting it stops the router (see RouteFollower).
        Directory.CreateDirectory(settings.State!);
        ListenerTakeover? takeover = null;
        if (settings.TakeOver)
        {
            try
            {
                takeover = ListenerTakeover.Receive(settings.State!, TimeSpan.FromSeconds(10));
            }
            catch (Exception exception) when (exception is IOException or System.Net.Sockets.SocketException or System.Text.Json.JsonException)
            {
                await Console.Error.WriteLineAsync($"error: --take-over: cannot take the listening sockets over from the router of {settings.State}: {exception.Message}");
                return 1;
            }
        }

        // BERTH_ROUTER_ID / BERTH_ROUTER_NODE: set by the global router service of the Swarm runtime to the node's name.
        var routerId = settings.Id ?? NonEmpty(Environment.GetEnvironmentVariable("BERTH_ROUTER_ID")) ?? Environment.MachineName;
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "HH:mm:ss ";
        });
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<RouterMetrics>();
        builder.Services.AddSingleton<ListenerSockets>();
        builder.Services.AddSingleton<YarpTrafficRouter>();
        builder.Services.Configure<RouteFollowerOptions>(o =>
        {
            o.ControlPlane = Cli.Connection.ConnectionResolver.TryParseHost(settings.Server!)!;
            o.TokenFile = Path.GetFullPath(settings.TokenFile!);
            o.StateDirectory = Path.GetFullPath(settings.State!);
            o.TlsCaFile = settings.TlsCa is null ? null : Path.GetFullPath(settings.TlsCa);
            o.RouterId = routerId;
            o.Node = NonEmpty(Environment.GetEnvironmentVariable("BERTH_ROUTER_NODE")) ?? Environment.MachineName;
        });
        builder.Services.AddSingleton<RouteFollower>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<RouteFollower>());
        builder.Services.AddHostedService<ListenerHandoverServer>();

        using var host = builder.Build();
        var follower = host.Services.GetRequiredService<RouteFollower>();
        var listeners = host.Services.GetRequiredService<ListenerSockets>();
        if (takeover is not null)
        {
            listeners.Inherit(takeover.Descriptors);
        }

        await follower.RestoreAsync(cancellationToken);
        listeners.CloseUnused();
        if (takeover is not null)
        {
            // Our front doors accept on the same sockets now: the old router stops following and drains.
            takeover.ReleaseOld(TimeSpan.FromSeconds(30));
            takeover.Dispose();
        }

        await Console.Out.WriteLineAsync($"Berth router {routerId} following {settings.Server} (pid {Environment.ProcessId})");
        var router = host.Services.GetRequiredService<YarpTrafficRouter>();
        try
        {
            await host.RunAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        // Front doors close last: Kestrel lets in-flight requests finish (up to 5 s each). The host's disposal may have
        // closed them already; closing twice does nothing.
        await router.DisposeAsync();
        return 0;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
