using Berth.Cli.Commands.Routers;
using Berth.Routing;
using Berth.Routing.Follower;
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
        builder.Services.AddSingleton<YarpTrafficRouter>();
        builder.Services.Configure<RouteFollowerOptions>(o =>
        {
            o.ControlPlane = Cli.Connection.ConnectionResolver.TryParseHost(settings.Server!)!;
            o.TokenFile = Path.GetFullPath(settings.TokenFile!);
            o.StateDirectory = Path.GetFullPath(settings.State!);
            o.TlsCaFile = settings.TlsCa is null ? null : Path.GetFullPath(settings.TlsCa);
            o.RouterId = settings.Id ?? Environment.MachineName;
            o.Node = Environment.MachineName;
        });
        builder.Services.AddSingleton<RouteFollower>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<RouteFollower>());

        using var host = builder.Build();
        var follower = host.Services.GetRequiredService<RouteFollower>();
        await follower.RestoreAsync(cancellationToken);
        await Console.Out.WriteLineAsync($"Berth router {settings.Id ?? Environment.MachineName} following {settings.Server} (pid {Environment.ProcessId})");
        try
        {
            await host.RunAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        // Front doors close last: Kestrel lets in-flight requests finish (up to 5 s each).
        await host.Services.GetRequiredService<YarpTrafficRouter>().DisposeAsync();
        return 0;
    }
}
