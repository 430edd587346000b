using Berth.Runtimes;
using Berth.Spec;
using Berth.Targets;
using Berth.Tests.Engine.Fakes;

namespace Berth.Tests.Targets;

/// <summary>Each replica runs on its service's target; operations on it go where it was started.</summary>
public sealed class TargetRuntimeDriverTests
{
    private readonly FakeRuntimeDriver _local = new(TimeProvider.System);
    private readonly FakeRuntimeDriver _east = new(TimeProvider.System);
    private readonly TargetRuntimeDriver _driver;

    public TargetRuntimeDriverTests()
    {
        _driver = new TargetRuntimeDriver(_local);
        _driver.Attach("east", _east);
    }

    [Fact]
    public async Task A_replica_starts_on_its_services_target_and_is_stopped_and_killed_there()
    {
        await _driver.StartAsync(Launch("r1", "shop-prod_web", target: "east"), CancellationToken.None);
        await _driver.StartAsync(Launch("r2", "shop-dev_web", target: null), CancellationToken.None);

        Assert.Equal(["r1"], _east.Started.Select(s => s.ReplicaId));
        Assert.Equal(["r2"], _local.Started.Select(s => s.ReplicaId));
        Assert.Equal(["r1", "r2"], _driver.Observe().Select(o => o.ReplicaId).Order());
        Assert.Equal(["r1"], _driver.Observe("shop-prod_web").Select(o => o.ReplicaId));

        await _driver.StopAsync("r1", TimeSpan.FromSeconds(1), CancellationToken.None);
        await _driver.StopAsync("r2", TimeSpan.FromSeconds(1), CancellationToken.None);
        Assert.Equal(["r1"], _east.Stopped);
        Assert.Equal(["r2"], _local.Stopped);
    }

    [Fact]
    public async Task Changes_of_every_runtime_reach_the_engine()
    {
        var seen = new List<string>();
        _driver.ReplicaChanged += o => seen.Add(o.ReplicaId);
        await _driver.StartAsync(Launch("r1", "shop-prod_web", target: "east"), CancellationToken.None);
        await _driver.StartAsync(Launch("r2", "shop-dev_web", target: null), CancellationToken.None);

        _east.Exit("r1", 137);
        _local.Exit("r2", 1);

        Assert.Equal(["r1", "r2"], seen);
    }

    [Fact]
    public async Task A_replica_of_a_target_no_longer_defined_exits_at_once_saying_why()
    {
        var observation = await _driver.StartAsync(Launch("r1", "shop-prod_web", target: "west"), CancellationToken.None);

        Assert.Equal(ReplicaRunState.Exited, observation.State);
        Assert.Contains("target west has no runtime on this server", observation.Message, StringComparison.Ordinal);
        Assert.Empty(_local.Started);
        Assert.Empty(_east.Started);
    }

    [Fact]
    public void The_runtime_of_a_spec_is_its_targets()
    {
        Assert.Equal("process", _driver.RuntimeOf(new ServiceSpec { Name = "web" }));
        Assert.Equal("swarm", _driver.RuntimeOf(new ServiceSpec { Name = "web", Target = "west" }));
    }

    [Fact]
    public async Task Nodes_are_the_servers_then_each_targets_named_after_it()
    {
        var nodes = await _driver.ListNodesAsync(CancellationToken.None);

        Assert.Equal([null, "east"], nodes.Select(n => n.Target));
    }

    [Fact]
    public async Task A_detached_target_takes_no_more_replicas()
    {
        Assert.Same(_east, _driver.Detach("east"));

        var observation = await _driver.StartAsync(Launch("r1", "shop-prod_web", target: "east"), CancellationToken.None);

        Assert.Equal(ReplicaRunState.Exited, observation.State);
        Assert.Null(_driver.Detach("east"));
    }

    [Fact]
    public async Task A_target_that_does_not_answer_fails_a_start_and_keeps_its_last_nodes()
    {
        var away = new AwayRuntime(new FakeRuntimeDriver(TimeProvider.System));
        _driver.Attach("west", away);
        var before = await _driver.ListNodesAsync(CancellationToken.None);
        away.Away = true;

        var observation = await _driver.StartAsync(Launch("r1", "shop-prod_web", target: "west"), CancellationToken.None);
        var nodes = await _driver.ListNodesAsync(CancellationToken.None);

        Assert.Equal(ReplicaRunState.Exited, observation.State);
        Assert.StartsWith("target west did not answer: connection refused", observation.Message, StringComparison.Ordinal);
        Assert.Equal(before.Count, nodes.Count);
        Assert.Equal("unknown", nodes.Single(n => n.Target == "west").State);
    }

    [Fact]
    public async Task A_replica_not_adopted_while_its_target_was_away_is_stopped_before_a_new_one_starts_there()
    {
        var inner = new FakeRuntimeDriver(TimeProvider.System);
        var away = new AwayRuntime(inner);
        _driver.Attach("west", away);
        await _driver.StartAsync(Launch("old", "shop-prod_web", target: "west"), CancellationToken.None);
        away.Away = true;

        var adopted = await _driver.AdoptAsync(new ReplicaHandle("old", null, null, null, null), Launch("old", "shop-prod_web", target: "west"), CancellationToken.None);
        away.Away = false;
        await _driver.StartAsync(Launch("new", "shop-prod_web", target: "west"), CancellationToken.None);

        Assert.Null(adopted);
        Assert.Equal(["old"], inner.Stopped);
        Assert.Equal(["old", "new"], inner.Started.Select(s => s.ReplicaId));
    }

    private static ReplicaLaunch Launch(string id, string service, string? target) => new()
    {
        ReplicaId = id,
        Service = service,
        Release = 1,
        Slot = 1,
        Command = ["true"],
        Spec = new ServiceSpec { Name = service, Image = "web:1", Target = target },
    };

    /// <summary>A target's runtime whose engine stops answering while <see cref="Away"/>.</summary>
    private sealed class AwayRuntime(FakeRuntimeDriver inner) : IRuntimeDriver
    {
        public bool Away { get; set; }

        public string Name => "swarm";

        public event Action<ReplicaObservation>? ReplicaChanged
        {
            add => inner.ReplicaChanged += value;
            remove => inner.ReplicaChanged -= value;
        }

        public Task<ReplicaObservation> StartAsync(ReplicaLaunch launch, CancellationToken cancellationToken) => Answer(() => inner.StartAsync(launch, cancellationToken));

        public Task StopAsync(string replicaId, TimeSpan gracePeriod, CancellationToken cancellationToken) => Answer(() => inner.StopAsync(replicaId, gracePeriod, cancellationToken));

        public Task KillAsync(string replicaId, CancellationToken cancellationToken) => Answer(() => inner.KillAsync(replicaId, cancellationToken));

        public Task<ReplicaObservation?> AdoptAsync(ReplicaHandle handle, ReplicaLaunch launch, CancellationToken cancellationToken) => Answer(() => inner.AdoptAsync(handle, launch, cancellationToken));

        public IReadOnlyList<ReplicaObservation> Observe() => inner.Observe();

        public IReadOnlyList<ReplicaObservation> Observe(string service) => inner.Observe(service);

        public void Forget(string replicaId) => inner.Forget(replicaId);

        public IAsyncEnumerable<LogLine> ReadLogsAsync(string replicaId, int tail, bool follow, CancellationToken cancellationToken) => inner.ReadLogsAsync(replicaId, tail, follow, cancellationToken);

        public Task<IReadOnlyList<NodeObservation>> ListNodesAsync(CancellationToken cancellationToken) => Answer(() => inner.ListNodesAsync(cancellationToken));

        public Task SetNodeAvailabilityAsync(string node, string availability, CancellationToken cancellationToken) => inner.SetNodeAvailabilityAsync(node, availability, cancellationToken);

        private T Answer<T>(Func<T> call) => Away ? throw new HttpRequestException("connection refused") : call();
    }
}
