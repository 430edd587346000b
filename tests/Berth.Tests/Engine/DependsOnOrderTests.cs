using Berth.Engine;
using Berth.Spec;
using Berth.Store;
using Berth.Tests.Engine.Fakes;
using Berth.Tests.Infrastructure;

namespace Berth.Tests.Engine;

/// <summary>
/// depends_on orders releases within a stack (the real engine, a fake runtime and clock): a new service starts once its
/// dependencies are ready (started or healthy, as the condition says), a stack update rolls the dependency out first
/// and the dependent after, and only the start waits — restarts of a running dependent never do.
/// </summary>
public sealed class DependsOnOrderTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly EngineRig _rig = new();
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task NewStack_ServiceHealthy_TheDependentStartsOnlyOnceItsDependencyIsHealthy()
    {
        _rig.Driver.StartReady = false;
        await DeployAsync("1", "service_healthy");

        await PassAsync("shop_api");
        Assert.Empty(StartedOf("shop_api"));
        Assert.Equal("waiting for shop_db (depends_on, service_healthy): none of its replicas is healthy yet", (await ServiceAsync("shop_api")).StatusReason);

        await PassAsync("shop_db");
        var waiting = await PassAsync("shop_api");
        Assert.Single(StartedOf("shop_db"));
        Assert.Empty(StartedOf("shop_api"));
        Assert.NotNull(waiting.RequeueAfter);
        Assert.True(waiting.RequeueAfter <= TimeSpan.FromSeconds(1), $"a waiting service looks again within a second, not {waiting.RequeueAfter}");

        _rig.Driver.MakeAllReady();
        await PassAsync("shop_db");
        await PassAsync("shop_api");

        Assert.Equal(2, StartedOf("shop_api").Count);
        Assert.DoesNotContain("waiting", (await ServiceAsync("shop_api")).StatusReason ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task NewStack_ServiceStarted_TheDependentStartsOnceItsDependencyHasStarted()
    {
        _rig.Driver.StartReady = false;
        await DeployAsync("1", "service_started");

        await PassAsync("shop_api");
        Assert.Empty(StartedOf("shop_api"));
        Assert.Equal("waiting for shop_db (depends_on, service_started): none of its replicas has started yet", (await ServiceAsync("shop_api")).StatusReason);

        await PassAsync("shop_db");
        await PassAsync("shop_api");

        Assert.Equal(2, StartedOf("shop_api").Count);
    }

    [Fact]
    public async Task Update_BothChange_TheDependencyRollsOutFirstThenTheDependent()
    {
        await DeployAsync("1", "service_healthy");
        await SettleAsync("shop_db");
        await SettleAsync("shop_api");
        Assert.Equal(2, StartedOf("shop_api").Count);

        await DeployAsync("2", "service_healthy");
        var dbDone = false;
        for (var i = 0; i < 60 && !dbDone; i++)
        {
            await PassAsync("shop_api");
            Assert.DoesNotContain(StartedOf("shop_api"), s => s.Release == 2);
            await PassAsync("shop_db");
            dbDone = await LatestRolloutAsync("shop_db") is { State: RolloutStates.Completed };
            _rig.Time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.True(dbDone, "the dependency's rollout did not complete");
        Assert.StartsWith("waiting for shop_db (depends_on, service_healthy): it is rolling out release 2", (await ServiceAsync("shop_api")).StatusReason ?? "", StringComparison.Ordinal);
        await PassAsync("shop_db");
        await PassAsync("shop_api");

        Assert.Contains(StartedOf("shop_api"), s => s.Release == 2);
        var apiStarted = _rig.Driver.Started.FindIndex(s => s.ReplicaId.StartsWith("shop_api.", StringComparison.Ordinal) && s.Release == 2);
        var dbLast = _rig.Driver.Started.FindLastIndex(s => s.ReplicaId.StartsWith("shop_db.", StringComparison.Ordinal) && s.Release == 2);
        Assert.True(dbLast < apiStarted, "a replica of the dependent's new release started before the dependency had finished");
    }

    [Fact]
    public async Task RunningDependent_ItsReplicaExits_RestartedAtOnceWhateverItsDependencyDoes()
    {
        await DeployAsync("1", "service_healthy");
        await SettleAsync("shop_db");
        await SettleAsync("shop_api");
        foreach (var replica in _rig.Driver.Observe("shop_db").ToList())
        {
            _rig.Driver.Exit(replica.ReplicaId, 1);
        }

        _rig.Driver.StartReady = false;
        await PassAsync("shop_db");
        var crashed = _rig.Driver.Observe("shop_api").First();
        _rig.Driver.Exit(crashed.ReplicaId, 1);
        var before = StartedOf("shop_api").Count;
        await PassAsync("shop_api");
        _rig.Time.Advance(TimeSpan.FromSeconds(10));   // past restart_policy's delay (5 s by default)
        await PassAsync("shop_api");

        Assert.Equal(before + 1, StartedOf("shop_api").Count);
        Assert.DoesNotContain(_rig.Driver.Observe("shop_db"), r => r.Health == Berth.Runtimes.ReplicaHealth.Healthy);
    }

    public void Dispose()
    {
        _rig.Dispose();
        _dir.Dispose();
    }

    private List<(string ReplicaId, int Release)> StartedOf(string service) =>
        _rig.Driver.Started.Where(s => s.ReplicaId.StartsWith(service + ".", StringComparison.Ordinal)).ToList();

    private Task<ReconcileResult> PassAsync(string service) => _rig.Reconciler.ReconcileAsync(service, None);

    private async Task SettleAsync(string service)
    {
        for (var i = 0; i < 10; i++)
        {
            await PassAsync(service);
            _rig.Time.Advance(TimeSpan.FromSeconds(1));
        }
    }

    private async Task<ServiceRecord> ServiceAsync(string name) => await _rig.Store.GetServiceAsync(name, None) ?? throw new InvalidOperationException($"no service {name}");

    private Task<RolloutRecord?> LatestRolloutAsync(string service) => _rig.Store.ReadAsync(tx => tx.GetLatestRolloutAsync(service, None), None);

    private async Task DeployAsync(string version, string condition)
    {
        var file = _dir.File($"compose-{version}.yml", $$"""
            services:
              db:
                environment:
                  VERSION: "{{version}}"
                deploy:
                  replicas: 1
                x-berth:
                  process:
                    command: ["true"]
              api:
                environment:
                  VERSION: "{{version}}"
                depends_on:
                  db:
                    condition: {{condition}}
                deploy:
                  replicas: 2
                x-berth:
                  process:
                    command: ["true"]
            """);
        var loaded = await new ComposeLoader().LoadAsync(new ComposeLoadRequest { Files = [file], Environment = new Dictionary<string, string>() }, None);
        Assert.True(loaded.Succeeded, string.Join("\n", loaded.Diagnostics));
        await _rig.Deployer.DeployAsync(EngineRig.Stack, loaded.Spec!, None);
    }
}
