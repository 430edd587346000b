using Berth.Api;
using Berth.Deployments;
using Berth.Engine;
using Berth.Engine.Events;
using Berth.Engine.Progressive;
using Berth.Engine.Replicas;
using Berth.Engine.Rolling;
using Berth.Engine.Routing;
using Berth.Queries;
using Berth.Routing;
using Berth.Spec;
using Berth.Store;
using Berth.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Berth.Tests.Engine.Fakes;

/// <summary>
/// The real engine (<see cref="ServiceReconciler"/>, <see cref="StackDeployer"/>, <see cref="RolloutCommands"/>,
/// <see cref="RolloutQueries"/>) on a real SQLite store in a temp folder, with a fake runtime, router, KPI source,
/// smoke runner and clock. Passes run one at a time, when the test says; nothing sleeps.
/// </summary>
internal sealed class EngineRig : IDisposable
{
    public const string Stack = "shop";
    public const string Service = "shop_app";
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly TempDirectory _dir = new("berth-engine");
    private readonly int _port = LoopbackPort.Free();

    public EngineRig(int replicas = 4)
    {
        Replicas = replicas;
        Store = new BerthStore(Options.Create(new StoreOptions { DataDirectory = _dir.Path }));
        Driver = new FakeRuntimeDriver(Time);
        StartServer();
    }

    public int Replicas { get; }
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));
    public BerthStore Store { get; }
    public FakeRuntimeDriver Driver { get; }
    public FakeKpiSource Kpis { get; } = new();

    // What a server process holds: replaced by RestartServerAsync.
    public FakeTrafficRouter Router { get; private set; } = null!;
    public FakeSmokeTestRunner Smoke { get; private set; } = null!;
    public EventLog Events { get; private set; } = null!;
    public ServiceReconciler Reconciler { get; private set; } = null!;
    public RolloutCommands Commands { get; private set; } = null!;
    public RolloutQueries Queries { get; private set; } = null!;
    public StackDeployer Deployer { get; private set; } = null!;

    /// <summary>Passes run so far (all servers).</summary>
    public int Passes { get; private set; }

    /// <summary>Deploys version <paramref name="version"/> of the app with the given x-berth strategy YAML.</summary>
    public async Task<DeployResponse> DeployAsync(string version, string strategy)
    {
        var yaml = $$"""
            services:
              app:
                ports: ["{{_port}}:8080"]
                environment:
                  VERSION: "{{version}}"
                deploy:
                  replicas: {{Replicas}}
                x-berth:
                  process:
                    command: ["true"]
                  {{string.Join("\n      ", strategy.Replace("\r", "", StringComparison.Ordinal).Split('\n'))}}
            """;
        var file = _dir.File($"compose-{version}.yml", yaml);
        var loaded = await new ComposeLoader().LoadAsync(new ComposeLoadRequest { Files = [file], Environment = new Dictionary<string, string>() }, None);
        Assert.True(loaded.Succeeded, string.Join("\n", loaded.Diagnostics));
        return await Deployer.DeployAsync(Stack, loaded.Spec!, None);
    }

    /// <summary>Deploys v1 and runs passes until its replicas are up.</summary>
    public async Task DeployV1Async(string strategy)
    {
        await DeployAsync("1", strategy);
        await SettleAsync();
        Assert.Equal(Replicas, Driver.LiveOf(1).Count);
    }

    /// <summary>After every pass that did not throw, the router must serve the split the saved state implies (on by default).</summary>
    public bool CheckRouterAfterEachPass { get; set; } = true;

    /// <summary>One reconcile pass.</summary>
    public async Task<ReconcileResult> PassAsync()
    {
        Passes++;
        var result = await Reconciler.ReconcileAsync(Service, None);
        if (CheckRouterAfterEachPass && Router.RefuseWith is null)
        {
            Assert.Equal(await ExpectedSplitAsync(), Router.SplitOf(Service));
        }

        return result;
    }

    /// <summary>The split the store implies for the service now.</summary>
    public async Task<RouteSplit> ExpectedSplitAsync()
    {
        var service = await ServiceAsync();
        var latest = await Store.ReadAsync(tx => tx.GetLatestRolloutAsync(Service, None), None);
        var target = latest is null ? null : await Store.GetReleaseAsync(Service, latest.ToRelease, None);
        return RouteSplit.Of(service.Release, latest, target?.Spec.Berth.Strategy);
    }

    /// <summary>Passes until the engine asks for no immediate look (what the queue would do at once).</summary>
    public async Task<ReconcileResult> SettleAsync()
    {
        for (var i = 0; i < 50; i++)
        {
            var result = await PassAsync();
            if (result.RequeueAfter is not { } after || after > TimeSpan.Zero)
            {
                return result;
            }
        }

        throw new InvalidOperationException("the engine asked to look again at once 50 times in a row");
    }

    /// <summary>Moves the clock on, then settles: what a requeue after <paramref name="by"/> does.</summary>
    public async Task<ReconcileResult> AdvanceAsync(TimeSpan by)
    {
        Time.Advance(by);
        return await SettleAsync();
    }

    /// <summary>Advances in steps of <paramref name="step"/> (default: each pass's own requeue) until <paramref name="done"/> or <paramref name="limit"/> of clock time.</summary>
    public async Task<RolloutRecord> RunUntilAsync(Func<RolloutRecord, bool> done, TimeSpan limit, TimeSpan? step = null)
    {
        var end = Time.GetUtcNow() + limit;
        var result = await SettleAsync();
        while (true)
        {
            var rollout = await LatestAsync();
            if (done(rollout))
            {
                return rollout;
            }

            if (Time.GetUtcNow() >= end)
            {
                throw new TimeoutException($"not reached within {limit} of clock time; rollout: {rollout.State} {rollout.Reason} {rollout.Progress}");
            }

            result = await AdvanceAsync(step ?? result.RequeueAfter ?? TimeSpan.FromSeconds(1));
        }
    }

    public async Task<RolloutRecord> LatestAsync() =>
        await Store.ReadAsync(tx => tx.GetLatestRolloutAsync(Service, None), None) ?? throw new InvalidOperationException("no rollout");

    public Task<IReadOnlyList<RolloutDecisionRecord>> DecisionsAsync(long rolloutId) => Store.ReadAsync(tx => tx.GetRolloutDecisionsAsync(rolloutId, None), None);

    public Task<IReadOnlyList<RolloutSampleRecord>> SamplesAsync(long rolloutId) => Store.ReadAsync(tx => tx.GetRolloutSamplesAsync(rolloutId, None), None);

    public async Task<ServiceRecord> ServiceAsync() => await Store.GetServiceAsync(Service, None) ?? throw new InvalidOperationException("no service");

    public async Task<IReadOnlyList<string>> EventKindsAsync() =>
        (await Store.ReadAsync(tx => tx.GetEventsAsync(0, Service, 1000, None), None)).Select(e => e.Kind).ToList();

    /// <summary>
    /// The server process dies and starts again: a new reconciler, router, smoke runner and queue on the same store and
    /// runtime (replicas survive it, as OS processes or Swarm tasks do); surviving replicas are adopted first.
    /// </summary>
    public async Task RestartServerAsync()
    {
        StartServer();
        var adopter = new ReplicaAdopter(Store, Driver, Events, Time, NullLogger<ReplicaAdopter>.Instance);
        await adopter.AdoptAllAsync(None);
    }

    private void StartServer()
    {
        Router = new FakeTrafficRouter();
        Smoke = new FakeSmokeTestRunner();
        Events = new EventLog(Store, Time);
        var queue = new ReconcileQueue(Time);
        var routes = new RouteSync(Router, Events, Options.Create(new RouterOptions()));
        var ledger = new RolloutLedger(Store, Events, Time);
        Reconciler = new ServiceReconciler(Store, Driver, Events, routes, ledger, Kpis, Smoke, Time, NullLogger<ServiceReconciler>.Instance);
        // As in the server: a command carries its write to the router itself (ImmediatePass), and queues a pass for the replicas.
        Commands = new RolloutCommands(Store, Events, queue, Time, immediate: new ImmediatePass(queue, Reconciler, NullLogger<ImmediatePass>.Instance));
        Queries = new RolloutQueries(Store, Kpis);
        Deployer = new StackDeployer(Store, Events, queue, new PublishedPortChecker(Store), Time, Driver, Options.Create(new DeploymentLimitsOptions()));
    }

    public void Dispose() => _dir.Dispose();
}
