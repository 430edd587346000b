using System.Net;
using Berth.Api;
using Berth.Deployments;
using Berth.Engine;
using Berth.Queries;
using Berth.Runtimes;
using Berth.Routing;
using Berth.Runtimes.Process;
using Berth.Runtimes.Swarm;
using Berth.Server.Api;
using Berth.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Berth.Server;

/// <summary>Entry point of `berth server`: hosts the API and the engine until cancelled.</summary>
public static class BerthServer
{
    /// <summary>Runs the server; returns the process exit code (0 after a clean stop, 1 when it cannot start, 2 for bad options).</summary>
    public static async Task<int> RunAsync(BerthServerOptions options, CancellationToken cancellationToken, TextWriter? output = null)
    {
        output ??= Console.Out;
        if (!TryParseListen(options.Listen, out var endpoint))
        {
            await Console.Error.WriteLineAsync($"error: --listen {options.Listen} is not an address:port (for example 127.0.0.1:7070)");
            return 2;
        }

        if (options.Runtime is not ("process" or "swarm"))
        {
            await Console.Error.WriteLineAsync($"error: --runtime {options.Runtime} is not available; the runtimes are: process, swarm");
            return 2;
        }

        if (options.Runtime == "swarm" && await SwarmDockerClient.ProblemAsync(options.DockerEndpoint, cancellationToken) is { } problem)
        {
            await Console.Error.WriteLineAsync($"error: {problem}");
            return 1;
        }

        var dataDirectory = Path.GetFullPath(options.DataDirectory);
        Directory.CreateDirectory(dataDirectory);
        using var dataLock = DataDirectoryLock.TryAcquire(dataDirectory);
        if (dataLock is null)
        {
            await Console.Error.WriteLineAsync($"error: another Berth server is already using {dataDirectory} (see {Path.Combine(dataDirectory, DataDirectoryLock.FileName)})");
            return 1;
        }

        var app = Build(options, dataDirectory, endpoint);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException exception) when (exception.InnerException is System.Net.Sockets.SocketException || exception.Message.Contains("address", StringComparison.OrdinalIgnoreCase))
        {
            await Console.Error.WriteLineAsync($"error: cannot listen on {options.Listen}: {exception.Message}");
            return 1;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? options.Listen;
        await output.WriteLineAsync($"Berth server listening on {address} (runtime: {options.Runtime}, data: {dataDirectory})");
        await output.FlushAsync(cancellationToken);
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }

        using var stopTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await app.StopAsync(stopTimeout.Token);
        await app.DisposeAsync();
        return 0;
    }

    private static WebApplication Build(BerthServerOptions options, string dataDirectory, IPEndPoint endpoint)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = dataDirectory });
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(endpoint));
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "HH:mm:ss ";
        });
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Services.Configure<JsonOptions>(json =>
        {
            json.SerializerOptions.PropertyNamingPolicy = ApiJson.Options.PropertyNamingPolicy;
            foreach (var converter in ApiJson.Options.Converters)
            {
                json.SerializerOptions.Converters.Add(converter);
            }
        });
        builder.Services.AddSingleton(options);
        AddBerth(builder.Services, dataDirectory, options);

        var app = builder.Build();
        app.UseMiddleware<ProblemMiddleware>();
        app.MapInfoEndpoints();
        app.MapStackEndpoints();
        app.MapServiceEndpoints();
        app.MapReplicaEndpoints();
        app.MapEventEndpoints();
        app.MapNodeEndpoints();
        app.MapMetricsEndpoints();
        app.MapRolloutEndpoints();
        return app;
    }

    /// <summary>Registers the store, the runtime (--runtime), the engine and the operations the API calls.</summary>
    internal static void AddBerth(IServiceCollection services, string dataDirectory, BerthServerOptions options)
    {
        services.AddSingleton(TimeProvider.System);
        services.Configure<StoreOptions>(o => o.DataDirectory = dataDirectory);
        services.AddOptions<EngineOptions>().ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<BerthStore>();
        services.AddOptions<EventLogOptions>();
        services.AddSingleton<EventLog>();
        services.AddSingleton<ReconcileQueue>();
        if (options.Runtime == "swarm")
        {
            services.AddSwarmRuntime(o => o.Endpoint = options.DockerEndpoint);
        }
        else
        {
            services.AddProcessRuntime(o => o.RuntimeDirectory = dataDirectory);
        }

        services.Configure<RouterOptions>(_ => { });
        services.AddSingleton<RouterMetrics>();
        services.AddSingleton<YarpTrafficRouter>();
        services.AddSingleton<ITrafficRouter>(sp => sp.GetRequiredService<YarpTrafficRouter>());
        services.AddSingleton<RouteSync>();
        services.AddSingleton<RolloutLedger>();
        services.AddSingleton<Berth.Engine.Strategies.SmokeTestRunner>();
        services.AddSingleton<ServiceReconciler>();
        services.AddSingleton<ReplicaAdopter>();
        services.AddSingleton<EngineWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<EngineWorker>());
        services.AddSingleton<PublishedPortChecker>();
        services.AddOptions<DeploymentLimitsOptions>().Configure(o => o.MaxReplicas = options.MaxReplicas).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<StackDeployer>();
        services.AddSingleton<ServiceScaler>();
        services.AddSingleton<ReplicaKiller>();
        services.AddSingleton<ServiceQueries>();
        services.AddSingleton<ServiceLogReader>();
        services.AddSingleton<RolloutCommands>();
        services.AddSingleton<RolloutQueries>();
    }

    internal static bool TryParseListen(string listen, out IPEndPoint endpoint)
    {
        var text = listen.StartsWith("localhost:", StringComparison.OrdinalIgnoreCase) ? "127.0.0.1:" + listen["localhost:".Length..] : listen;
        return IPEndPoint.TryParse(text, out endpoint!) && text.Contains(':', StringComparison.Ordinal);
    }
}
