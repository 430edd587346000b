using System.Globalization;
using System.Text;
using Berth.Deployments;
using Berth.Engine;
using Berth.Engine.Events;
using Berth.Engine.Rolling;
using Berth.Engine.Routing;
using Berth.Routing;
using Berth.Spec;
using Berth.Store;
using Berth.Tests.Engine.Fakes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Berth.Bench.Engine;

/// <summary>
/// The real engine (<see cref="ServiceReconciler"/>, <see cref="StackDeployer"/>) on a real SQLite store in a temp
/// folder, with the fake runtime, router and KPI source: <c>stacks × servicesPerStack</c> services of
/// <c>replicas</c> replicas each, deployed and settled (every replica running) before anything is measured.
/// </summary>
internal sealed class EngineFleet : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "berth-bench-engine-" + Guid.NewGuid().ToString("N"));

    private EngineFleet(int services, int replicas)
    {
        Directory.CreateDirectory(_directory);
        Driver = new FakeRuntimeDriver(Time);
        ServiceCount = services;
        Replicas = replicas;
        Reopen();
    }

    /// <summary>
    /// A new store object and engine on the same database and runtime, as after a server restart: the store's
    /// caches (release specs, service snapshots) start empty, so the next pass reads every service from SQLite.
    /// </summary>
    public void Reopen()
    {
        Store = new BerthStore(Options.Create(new StoreOptions { DataDirectory = _directory }));
        var events = new EventLog(Store, Time);
        var queue = new ReconcileQueue(Time);
        var routes = new RouteSync(Router, events, Options.Create(new RouterOptions()));
        var ledger = new RolloutLedger(Store, events, Time);
        var kpis = new FakeKpiSource();
        Reconciler = new ServiceReconciler(Store, Driver, events, routes, ledger, kpis, new NoSmokeTests(), Time, NullLogger<ServiceReconciler>.Instance);
        Deployer = new StackDeployer(Store, events, queue, new PublishedPortChecker(Store), Time, Driver, Options.Create(new DeploymentLimitsOptions()));
    }

    public const int ServicesPerStack = 100;

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 12, 5, 12, 0, 0, TimeSpan.Zero));
    public BerthStore Store { get; private set; } = null!;
    public FakeRuntimeDriver Driver { get; }
    public FakeTrafficRouter Router { get; } = new();
    public ServiceReconciler Reconciler { get; private set; } = null!;
    public StackDeployer Deployer { get; private set; } = null!;
    public int ServiceCount { get; }
    public int Replicas { get; }
    public List<string> Services { get; } = [];

    /// <summary>Deploys the fleet (stacks of 100 services, each publishing a port) and runs passes until every replica runs.</summary>
    public static async Task<EngineFleet> StartAsync(int services, int replicas, CancellationToken cancellationToken)
    {
        var fleet = new EngineFleet(services, replicas);
        for (var stack = 0; stack * ServicesPerStack < services; stack++)
        {
            await fleet.DeployStackAsync(stack, Math.Min(ServicesPerStack, services - (stack * ServicesPerStack)), cancellationToken);
        }

        for (var round = 0; round < 20; round++)
        {
            var again = false;
            foreach (var service in fleet.Services)
            {
                var result = await fleet.Reconciler.ReconcileAsync(service, cancellationToken);
                again |= result.RequeueAfter is { } after && after <= TimeSpan.Zero;
            }

            if (!again)
            {
                break;
            }
        }

        var running = fleet.Driver.Observe().Count(o => o.State == Berth.Runtimes.ReplicaRunState.Running);
        if (running != services * replicas)
        {
            throw new InvalidOperationException($"the fleet did not settle: {running} of {services * replicas} replicas run");
        }

        return fleet;
    }

    /// <summary>One engine pass over every service, <paramref name="workers"/> at a time (the engine runs 4 workers).</summary>
    public async Task PassOverAllAsync(int workers, CancellationToken cancellationToken)
    {
        if (workers <= 1)
        {
            foreach (var service in Services)
            {
                await Reconciler.ReconcileAsync(service, cancellationToken);
            }

            return;
        }

        await Parallel.ForEachAsync(
            Services,
            new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = cancellationToken },
            async (service, ct) => await Reconciler.ReconcileAsync(service, ct));
    }

    private async Task DeployStackAsync(int stack, int services, CancellationToken cancellationToken)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"s{stack:D2}");
        var yaml = new StringBuilder("services:\n");
        for (var i = 0; i < services; i++)
        {
            var port = 30000 + (stack * ServicesPerStack) + i;
            yaml.Append(CultureInfo.InvariantCulture, $"""
                  svc{i:D3}:
                    ports: ["{port}:8080"]
                    deploy:
                      replicas: {Replicas}
                    x-berth:
                      process:
                        command: ["true"]

                """);
            Services.Add($"{name}_svc{i:D3}");
        }

        var file = Path.Combine(_directory, name + ".yml");
        await File.WriteAllTextAsync(file, yaml.ToString(), cancellationToken);
        var loaded = await new ComposeLoader().LoadAsync(new ComposeLoadRequest { Files = [file], Environment = new Dictionary<string, string>() }, cancellationToken);
        if (!loaded.Succeeded)
        {
            throw new InvalidOperationException(string.Join("\n", loaded.Diagnostics));
        }

        await Deployer.DeployAsync(name, loaded.Spec!, cancellationToken);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
