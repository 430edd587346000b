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
        Assert.Contains("target west is not defined on this server", observation.Message, StringComparison.Ordinal);
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

    private static ReplicaLaunch Launch(string id, string service, string? target) => new()
    {
        ReplicaId = id,
        Service = service,
        Release = 1,
        Slot = 1,
        Command = ["true"],
        Spec = new ServiceSpec { Name = service, Image = "web:1", Target = target },
    };
}
