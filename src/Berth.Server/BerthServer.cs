using System.Net;
using System.Security.Cryptography.X509Certificates;
using Berth.Api;
using Berth.Deployments;
using Berth.Engine;
using Berth.Engine.Events;
using Berth.Engine.Replicas;
using Berth.Engine.Rolling;
using Berth.Engine.Routing;
using Berth.Queries;
using Berth.Routing;
using Berth.Routing.Fleet;
using Berth.Runtimes;
using Berth.Runtimes.Process;
using Berth.Runtimes.Swarm;
using Berth.Targets;
using Berth.Security;
using Berth.Server.Api;
using Berth.Server.Dashboard;
using Berth.Server.Routers;
using Berth.Server.Security;
using Berth.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
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

        if (!TryPrepareTransport(options, endpoint, out var certificate, out var transportProblem))
        {
            await Console.Error.WriteLineAsync($"error: {transportProblem}");
            return 2;
        }

        if (options.ExecRoots.FirstOrDefault(root => !Directory.Exists(root)) is { } missingRoot)
        {
            await Console.Error.WriteLineAsync($"error: --exec-root {missingRoot}: no such folder");
            return 2;
        }

        var dataDirectory = Path.GetFullPath(options.DataDirectory);
        Directory.CreateDirectory(dataDirectory);
        using var dataLock = DataDirectoryLock.TryAcquire(dataDirectory);
        if (dataLock is null)
        {
            await Console.Error.WriteLineAsync($"error: another Berth server is already using {dataDirectory} (see {Path.Combine(dataDirectory, DataDirectoryLock.FileName)})");
            return 1;
        }

        var databasePath = new StoreOptions { DataDirectory = dataDirectory }.DatabasePath;
        var orphans = new List<(string Kind, string? Stack, string? Replica, string Message)>();
        if (options.Restore is { } backup)
        {
            // Only now, with the data folder locked: no other server is using the store being replaced.
            if (StoreBackup.Problem(backup) is { } unusable)
            {
                await Console.Error.WriteLineAsync($"error: {unusable}");
                return 2;
            }

            var aside = StoreBackup.Restore(Path.GetFullPath(backup), databasePath, DateTimeOffset.UtcNow);
            await output.WriteLineAsync($"Store restored from {Path.GetFullPath(backup)}{(aside is null ? "" : $"; the previous one is kept as {aside}")}");
            orphans.AddRange(await RestoredStoreOrphans.RemoveAsync(options, dataDirectory, databasePath, cancellationToken));
        }

        if (StoreHealth.Problem(databasePath) is { } damaged)
        {
            await Console.Error.WriteLineAsync($"error: {damaged}");
            return 1;
        }

        var app = Build(options, dataDirectory, endpoint, certificate);
        if (EndpointAccessCheck.EndpointsWithoutRule(app) is { Count: > 0 } open)
        {
            // Fail closed: an endpoint nobody gave an access rule is a bug, never an open door.
            throw new InvalidOperationException($"API endpoints without an access rule: {string.Join("; ", open)}");
        }

        await app.Services.GetRequiredService<LocalAdminCredential>().EnsureAsync(cancellationToken);
        foreach (var (kind, stack, replica, message) in orphans)
        {
            await app.Services.GetRequiredService<EventLog>().AppendAsync(kind, stack, null, replica, message, cancellationToken);
        }

        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException exception) when (exception.InnerException is System.Net.Sockets.SocketException || exception.Message.Contains("address", StringComparison.OrdinalIgnoreCase))
        {
            await Console.Error.WriteLineAsync($"error: cannot listen on {options.Listen}: {exception.Message}");
            return 1;
        }

        if (certificate is null && !IPAddress.IsLoopback(endpoint.Address))
        {
            await Console.Error.WriteLineAsync(
                $"warning: --insecure: the API listens on {endpoint} without TLS; tokens cross the network in clear. Give --tls-cert and --tls-key.");
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? options.Listen;
        app.Services.GetRequiredService<RouterSupervisor>().ControlPlaneIs(ReachableFromThisMachine(address), options.TlsCertificate);
        app.Services.GetService<SwarmRouterService>()?.ControlPlaneIs(ReachableFromThisMachine(address), options.TlsCertificate is null ? null : Path.GetFullPath(options.TlsCertificate));
        await output.WriteLineAsync($"Berth server listening on {address} (runtime: {options.Runtime}, data: {dataDirectory})");
        await output.WriteLineAsync(
            $"Dashboard: {address.TrimEnd('/')}/ (sign in with a token; this machine's admin token is in {app.Services.GetRequiredService<LocalAdminCredential>().FilePath})");
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

    /// <summary>
    /// TLS when a certificate is given; plain HTTP only on loopback unless --insecure. Returns false with a message
    /// (bad or missing PEM files, a public address without TLS) before anything starts.
    /// </summary>
    internal static bool TryPrepareTransport(BerthServerOptions options, IPEndPoint endpoint, out X509Certificate2? certificate, out string? problem)
    {
        certificate = null;
        problem = null;
        if ((options.TlsCertificate is null) != (options.TlsKey is null))
        {
            problem = "--tls-cert and --tls-key go together: give both PEM files (certificate and its private key)";
            return false;
        }

        if (options.TlsCertificate is not null)
        {
            certificate = ServerCertificate.TryLoad(options.TlsCertificate, options.TlsKey!, out problem);
            return certificate is not null;
        }

        if (!IPAddress.IsLoopback(endpoint.Address) && !options.Insecure)
        {
            problem = $"--listen {options.Listen} is reachable from other machines, and without TLS tokens would cross the network in clear. " +
                "Give a certificate: --tls-cert cert.pem --tls-key key.pem (PEM files; e.g. from your CA, or `openssl req -x509 -newkey rsa:2048 -nodes " +
                "-keyout key.pem -out cert.pem -subj /CN=HOST -addext subjectAltName=DNS:HOST`), or listen on 127.0.0.1; --insecure allows plain HTTP anyway";
            return false;
        }

        return true;
    }

    internal static WebApplication Build(BerthServerOptions options, string dataDirectory, IPEndPoint endpoint, X509Certificate2? certificate)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = dataDirectory });
        var maxBody = new SecurityOptions().MaxRequestBodyBytes;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = maxBody;
            kestrel.Listen(endpoint, listen =>
            {
                if (certificate is not null)
                {
                    listen.UseHttps(certificate);
                }
            });
        });
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
            json.SerializerOptions.Encoder = ApiJson.Options.Encoder;
            foreach (var converter in ApiJson.Options.Converters)
            {
                json.SerializerOptions.Converters.Add(converter);
            }
        });
        builder.Services.AddSingleton(options);
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        AddBerth(builder.Services, dataDirectory, options);
        AddAccessControl(builder.Services, dataDirectory);
        builder.Services.AddBerthOpenApi();

        var app = builder.Build();

        // Order matters: the route is known first (its access rule), the audit sees the final status of everything
        // after it, the throttle turns locked-out addresses away before their token is even read.
        app.UseMiddleware<DashboardGateway>();
        app.UseRouting();
        app.UseMiddleware<AuditMiddleware>();
        app.UseMiddleware<AuthenticationThrottleMiddleware>();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseMiddleware<ProblemMiddleware>();
        app.MapHealthEndpoints();
        app.MapTokenEndpoints();
        app.MapAuditEndpoints();
        app.MapInfoEndpoints();
        app.MapBackupEndpoints();
        app.MapRegistryEndpoints();
        app.MapSecretEndpoints();
        app.MapArtifactEndpoints();
        app.MapStackEndpoints();
        app.MapServiceEndpoints();
        app.MapReplicaEndpoints();
        app.MapEventEndpoints();
        app.MapNodeEndpoints();
        app.MapMetricsEndpoints();
        app.MapRolloutEndpoints();
        app.MapRouterEndpoints();
        app.MapPipelineEndpoints();
        app.MapDashboardEndpoints();
        app.MapBerthOpenApi();
        return app;
    }

    /// <summary>Registers the store, the runtime (--runtime), the engine and the operations the API calls.</summary>
    internal static void AddBerth(IServiceCollection services, string dataDirectory, BerthServerOptions options)
    {
        services.AddSingleton(TimeProvider.System);
        services.Configure<StoreOptions>(o => o.DataDirectory = dataDirectory);
        services.Configure<HostCommandOptions>(o => o.AllowedRoots = options.ExecRoots.Select(Path.GetFullPath).ToList());
        services.AddSingleton<HostCommandPolicy>();
        services.AddOptions<EngineOptions>().ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<BerthStore>();
        services.AddOptions<EventLogOptions>();
        services.AddSingleton<EventLog>();
        services.AddSingleton<ReconcileQueue>();
        var owner = DataFolderId.Ensure(dataDirectory);
        var swarm = options.Runtime == "swarm";
        services.AddDeployTargets(
            sp => swarm ? sp.GetRequiredService<SwarmRuntimeDriver>() : sp.GetRequiredService<ProcessRuntimeDriver>(),
            sp => swarm ? sp.GetRequiredService<SwarmRuntimeDriver>() : new Berth.Images.NoImagePinning(),
            o => (o.Directory, o.Owner, o.TasksAtNodeAddress) = (Path.Combine(dataDirectory, "targets"), owner, options.Routers == "global"));
        if (swarm)
        {
            services.AddSwarmRuntime(o =>
            {
                o.Endpoint = options.DockerEndpoint;
                o.Owner = owner;
                o.LocalTasksAtNodeAddress = options.Routers == "global";
            });
        }
        else
        {
            services.AddProcessRuntime(o => o.RuntimeDirectory = dataDirectory);
            services.AddOptions<Berth.Runtimes.Process.ReplicaLogRetentionOptions>().ValidateDataAnnotations().ValidateOnStart();
            services.AddHostedService<Berth.Runtimes.Process.ReplicaLogRetention>();
        }

        // The data plane is a process of its own (`berth router run`): the engine's router is the fleet of them.
        services.Configure<RouterOptions>(_ => { });
        services.AddOptions<FleetOptions>();
        services.AddSingleton<FleetMetrics>();
        services.AddSingleton<Diagnostics.ServerProcessMetrics>();
        services.AddSingleton<IKpiSource>(sp => sp.GetRequiredService<FleetMetrics>());
        services.AddSingleton<IRouterFleetObserver, FleetEvents>();
        services.AddSingleton<RouterFleet>();
        services.AddSingleton<ITrafficRouter>(sp => sp.GetRequiredService<RouterFleet>());
        var globalRouters = options.Runtime == "swarm" && options.Routers == "global";
        services.AddOptions<RouterSupervisorOptions>().Configure(o => o.RunLocalRouter &= !globalRouters);
        services.AddSingleton<RouterSupervisor>();
        services.AddHostedService(sp => sp.GetRequiredService<RouterSupervisor>());
        if (globalRouters)
        {
            services.AddOptions<SwarmRouterOptions>().Configure(o => o.Image = options.RouterImage ?? SwarmRouterOptions.DefaultImage);
            services.AddSingleton<SwarmRouterService>();
            services.AddHostedService(sp => sp.GetRequiredService<SwarmRouterService>());
        }

        services.AddHostedService<FleetReadiness>();
        services.AddSingleton<RouteSync>();
        services.AddSingleton<RolloutLedger>();
        services.AddSingleton<Berth.Engine.Gates.SmokeTestRunner>();
        services.AddSingleton<Berth.Engine.Gates.ISmokeTestRunner>(sp => sp.GetRequiredService<Berth.Engine.Gates.SmokeTestRunner>());
        services.AddSingleton<ServiceReconciler>();
        services.AddSingleton<ImmediatePass>();
        services.AddSingleton<ReplicaAdopter>();
        services.AddSingleton<EngineWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<EngineWorker>());
        services.AddSingleton<PublishedPortChecker>();
        services.AddOptions<DeploymentLimitsOptions>().Configure(o => o.MaxReplicas = options.MaxReplicas).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<StackDeployer>();
        services.AddSingleton<Berth.Images.RegistryLoginStore>();
        services.AddSingleton(new Berth.Artifacts.ArtifactStore(dataDirectory));
        services.AddOptions<Berth.Artifacts.ArtifactRetentionOptions>().ValidateDataAnnotations().ValidateOnStart();
        services.AddHostedService<Berth.Artifacts.ArtifactRetention>();
        services.AddSingleton<RegistryLoginUpdater>();
        services.AddSingleton<ServiceScaler>();
        services.AddSingleton<ReplicaKiller>();
        services.AddSingleton<ServiceQueries>();
        services.AddSingleton<ServiceLogReader>();
        services.AddSingleton<RolloutCommands>();
        services.AddSingleton<RolloutQueries>();
        services.AddSingleton<Berth.Pipeline.PipelineSignal>();
        services.AddSingleton<Berth.Pipeline.ManualEntryGuard>();
        services.AddSingleton<Berth.Pipeline.WebhookOutbox>();
        services.AddSingleton(new Berth.Pipeline.WebhookKey(dataDirectory));
        services.AddHostedService<Berth.Pipeline.WebhookSender>();
        services.AddSingleton<Berth.Pipeline.DeployTargets>();
        services.AddSingleton<Berth.Pipeline.StackReleases>();
        services.AddSingleton<Berth.Pipeline.PipelineQueries>();
        services.AddSingleton<Berth.Pipeline.PipelineWorker>();
        services.AddSingleton<Dashboard.DashboardQueries>();
        services.AddSingleton<Dashboard.DashboardAssets>();
        services.AddHostedService(sp => sp.GetRequiredService<Berth.Pipeline.PipelineWorker>());
    }

    /// <summary>Tokens, roles, the audit log, the failed-authentication throttle and the local admin credential.</summary>
    internal static void AddAccessControl(IServiceCollection services, string dataDirectory)
    {
        services.AddOptions<SecurityOptions>().ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<AuditOptions>();
        services.AddSingleton<TokenService>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<AuthenticationThrottle>();
        services.AddSingleton(sp => new LocalAdminCredential(dataDirectory, sp.GetRequiredService<TokenService>()));
        // Data protection encrypts the registry logins the server keeps; its key ring lives in the data folder (0700), not in ~/.aspnet.
        var keys = Directory.CreateDirectory(Path.Combine(dataDirectory, "keys"));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(keys.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        services.AddDataProtection().SetApplicationName("berth").PersistKeysToFileSystem(keys);
        services.AddAuthentication(TokenAuthenticationHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, TokenAuthenticationHandler>(TokenAuthenticationHandler.SchemeName, null)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, Dashboard.DashboardAuthenticationHandler>(Dashboard.DashboardAuthenticationHandler.SchemeName, null);
        services.AddOptions<Dashboard.DashboardOptions>();
        services.AddSingleton<Dashboard.DashboardSessions>();
        services.AddAuthorization(AccessPolicies.Add);
    }

    /// <summary>The address a process on this machine (the router) reaches the API at: a wildcard listen becomes loopback.</summary>
    private static Uri ReachableFromThisMachine(string address)
    {
        var uri = new Uri(address);
        var host = uri.Host is "0.0.0.0" or "[::]" or "::" or "*" or "+" ? (uri.Host.Contains(':', StringComparison.Ordinal) ? "[::1]" : "127.0.0.1") : uri.Host;
        return new UriBuilder(uri) { Host = host, Path = "/" }.Uri;
    }

    internal static bool TryParseListen(string listen, out IPEndPoint endpoint)
    {
        var text = listen.StartsWith("localhost:", StringComparison.OrdinalIgnoreCase) ? "127.0.0.1:" + listen["localhost:".Length..] : listen;
        return IPEndPoint.TryParse(text, out endpoint!) && text.Contains(':', StringComparison.Ordinal);
    }
}
