using Berth.Api;
using Berth.Deployments;
using Berth.Engine;
using Berth.Engine.Events;
using Berth.Engine.Rolling;
using Berth.Engine.Routing;
using Berth.Pipeline;
using Berth.Routing;
using Berth.Runtimes;
using Berth.Spec;
using Berth.Store;
using Berth.Targets;
using Berth.Tests.Engine.Fakes;
using Berth.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Berth.Tests.Targets;

/// <summary>The real engine on a server with a target (fake runtimes): a service of a target's environment runs there.</summary>
public sealed class TargetEngineTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly TempDirectory _dir = new("berth-target-engine");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));
    private readonly FakeRuntimeDriver _local;
    private readonly FakeRuntimeDriver _east;
    private readonly TargetRuntimeDriver _runtime;
    private readonly BerthStore _store;
    private readonly EventLog _events;
    private readonly ServiceReconciler _reconciler;
    private readonly StackDeployer _deployer;

    public TargetEngineTests()
    {
        _local = new FakeRuntimeDriver(_time);
        _east = new FakeRuntimeDriver(_time) { Nodes = 3 };
        _runtime = new TargetRuntimeDriver(_local);
        _store = new BerthStore(Options.Create(new StoreOptions { DataDirectory = _dir.Path }));
        _events = new EventLog(_store, _time);
        var queue = new ReconcileQueue(_time);
        var routes = new RouteSync(new FakeTrafficRouter(), _events, Options.Create(new RouterOptions()));
        _reconciler = new ServiceReconciler(
            _store, _runtime, _events, routes, new RolloutLedger(_store, _events, _time), new FakeKpiSource(), new FakeSmokeTestRunner(), _time, NullLogger<ServiceReconciler>.Instance);
        var registry = new TargetRegistry(_store, _runtime, new OneRuntime(_east), _events, _time, NullLogger<TargetRegistry>.Instance);
        registry.AddAsync(new TargetAddRequest("east", "tcp://10.0.0.5:2375"), null, None).GetAwaiter().GetResult();
        _deployer = new StackDeployer(
            _store, _events, queue, new PublishedPortChecker(_store), _time, _runtime, Options.Create(new DeploymentLimitsOptions()), targets: new DeployTargets(_runtime, registry));
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_global_service_of_a_target_runs_one_replica_per_node_of_that_target_only()
    {
        await DeployAsync("global", target: "east");

        await _reconciler.ReconcileAsync("shop-prod_app", None);

        Assert.Equal(3, _east.Started.Count);
        Assert.Empty(_local.Started);
    }

    [Fact]
    public async Task A_replicated_service_of_a_target_starts_and_stops_there()
    {
        await DeployAsync("replicated", target: "east");
        await _reconciler.ReconcileAsync("shop-prod_app", None);
        await _deployer.DeployAsync("shop-prod", new DeployRequest(Spec("replicated", target: "east", replicas: 1)), None);

        await _reconciler.ReconcileAsync("shop-prod_app", None);

        Assert.Equal(2, _east.Started.Count);
        Assert.Single(_east.Stopped);
        Assert.Empty(_local.Started);
    }

    [Fact]
    public async Task A_deploy_to_a_target_the_server_does_not_define_is_refused_with_every_problem()
    {
        var refused = await Assert.ThrowsAsync<ProblemException>(() => DeployAsync("replicated", target: "west"));

        Assert.Contains("target west is not defined on this server (berth target ls)", refused.Details);
        Assert.Empty(await _store.GetServicesAsync(None));
    }

    private Task<DeployResponse> DeployAsync(string mode, string target) =>
        _deployer.DeployAsync("shop-prod", new DeployRequest(Spec(mode, target, replicas: 2)), None);

    private static ComposeSpec Spec(string mode, string target, int replicas) => new()
    {
        Services = new Dictionary<string, ServiceSpec>
        {
            ["app"] = new()
            {
                Name = "app",
                Target = target,
                Deploy = new DeploySpec { Mode = mode, Replicas = replicas },
                Berth = new BerthServiceSpec { Process = new ProcessSpec { Command = ["true"] } },
            },
        },
    };

    private sealed class OneRuntime(IRuntimeDriver driver) : ITargetRuntimeFactory
    {
        public Task<string?> ProblemAsync(TargetRecord target, CancellationToken cancellationToken) => Task.FromResult<string?>(null);

        public IRuntimeDriver Create(TargetRecord target) => driver;

        public void Delete(string target)
        {
        }
    }
}
