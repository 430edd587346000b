using Berth.Api;
using Berth.Engine.Events;
using Berth.Runtimes;
using Berth.Store;
using Berth.Targets;
using Berth.Tests.Engine.Fakes;
using Berth.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Berth.Tests.Targets;

/// <summary>Adding and removing Docker targets: checked before kept, kept in the store, given a runtime; bad input changes nothing.</summary>
public sealed class TargetRegistryTests : IDisposable
{
    private const string Pem = "-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----";
    private readonly TempDirectory _dir = new();
    private readonly BerthStore _store;
    private readonly FakeTargetRuntimes _factory = new();
    private readonly TargetRuntimeDriver _runtime = new(new FakeRuntimeDriver(TimeProvider.System));

    public TargetRegistryTests() => _store = new BerthStore(Options.Create(new StoreOptions { DataDirectory = _dir.Path }));

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task An_added_target_is_kept_gets_a_runtime_and_an_event_and_is_back_after_a_restart()
    {
        var targets = NewTargets();

        var added = await targets.AddAsync(new TargetAddRequest("east", "tcp://10.0.0.5:2376", Pem, Pem, Pem), "alice", CancellationToken.None);

        Assert.Equal("east", added.Name);
        Assert.NotNull(added.Tls);
        Assert.True(_runtime.Targets.ContainsKey("east"));
        var events = await _store.ReadAsync(tx => tx.GetEventsAsync(0, null, 100, CancellationToken.None), CancellationToken.None);
        Assert.Contains(events, e => e.Kind == "target.added" && e.Message.Contains("tcp://10.0.0.5:2376 (mutual TLS)", StringComparison.Ordinal));

        var restarted = new TargetRuntimeDriver(new FakeRuntimeDriver(TimeProvider.System));
        await NewTargets(restarted).StartAsync(CancellationToken.None);
        Assert.True(restarted.Targets.ContainsKey("east"));
    }

    [Fact]
    public async Task A_target_whose_engine_does_not_answer_is_refused_and_nothing_is_kept()
    {
        _factory.Problem = "nothing listens at tcp://10.0.0.9:2376 (connection refused)";
        var targets = NewTargets();

        var refused = await Assert.ThrowsAsync<ProblemException>(() =>
            targets.AddAsync(new TargetAddRequest("east", "tcp://10.0.0.9:2376"), "alice", CancellationToken.None));

        Assert.Equal(ProblemKind.Invalid, refused.Kind);
        Assert.Equal("target east was not added: nothing listens at tcp://10.0.0.9:2376 (connection refused)", refused.Message);
        Assert.Empty(await _store.ReadAsync(tx => tx.GetTargetsAsync(CancellationToken.None), CancellationToken.None));
        Assert.Empty(_runtime.Targets);
        Assert.Equal(["east"], _factory.Deleted);
    }

    [Fact]
    public async Task Every_problem_of_a_request_is_said_at_once()
    {
        var targets = NewTargets();

        var refused = await Assert.ThrowsAsync<ProblemException>(() =>
            targets.AddAsync(new TargetAddRequest("../x", "ftp://host", TlsCa: Pem), null, CancellationToken.None));

        Assert.Equal(3, refused.Details.Count);
        Assert.Contains(refused.Details, d => d.StartsWith("name: invalid target name \"../x\"", StringComparison.Ordinal));
        Assert.Contains(refused.Details, d => d.StartsWith("dockerHost: \"ftp://host\" is not an Engine API address", StringComparison.Ordinal));
        Assert.Contains(refused.Details, d => d.Contains("--docker-tls-ca, --docker-tls-cert, --docker-tls-key", StringComparison.Ordinal));
        Assert.Equal(0, _factory.Checked);
    }

    [Theory]
    [InlineData("local")]
    [InlineData("east")]
    public async Task A_name_taken_is_refused(string name)
    {
        var targets = NewTargets();
        await targets.AddAsync(new TargetAddRequest("east", "tcp://10.0.0.5:2375"), null, CancellationToken.None);

        var refused = await Assert.ThrowsAsync<ProblemException>(() =>
            targets.AddAsync(new TargetAddRequest(name, "tcp://10.0.0.6:2375"), null, CancellationToken.None));

        Assert.Equal(ProblemKind.Conflict, refused.Kind);
        Assert.Single(await _store.ReadAsync(tx => tx.GetTargetsAsync(CancellationToken.None), CancellationToken.None));
    }

    [Fact]
    public async Task A_removed_target_loses_its_runtime_and_files()
    {
        var targets = NewTargets();
        await targets.AddAsync(new TargetAddRequest("east", "tcp://10.0.0.5:2375"), null, CancellationToken.None);

        await targets.RemoveAsync("east", CancellationToken.None);

        Assert.Empty(targets.All);
        Assert.Empty(_runtime.Targets);
        Assert.Empty(await _store.ReadAsync(tx => tx.GetTargetsAsync(CancellationToken.None), CancellationToken.None));
        Assert.Contains("east", _factory.Deleted);
        var missing = await Assert.ThrowsAsync<ProblemException>(() => targets.RemoveAsync("east", CancellationToken.None));
        Assert.Equal(ProblemKind.NotFound, missing.Kind);
        var local = await Assert.ThrowsAsync<ProblemException>(() => targets.RemoveAsync("local", CancellationToken.None));
        Assert.Equal(ProblemKind.Invalid, local.Kind);
    }

    [Fact]
    public async Task A_target_a_replica_runs_on_is_not_removed()
    {
        var targets = NewTargets();
        await targets.AddAsync(new TargetAddRequest("east", "tcp://10.0.0.5:2375"), null, CancellationToken.None);
        await _runtime.StartAsync(
            new ReplicaLaunch { ReplicaId = "r1", Service = "shop-prod_web", Release = 1, Slot = 1, Command = ["true"], Spec = new Berth.Spec.ServiceSpec { Name = "shop-prod_web", Image = "web:1", Target = "east" } },
            CancellationToken.None);

        var refused = await Assert.ThrowsAsync<ProblemException>(() => targets.RemoveAsync("east", CancellationToken.None));

        Assert.Equal(ProblemKind.Conflict, refused.Kind);
        Assert.StartsWith("target east runs replicas of shop-prod_web", refused.Message, StringComparison.Ordinal);
        Assert.Single(targets.All);
        Assert.True(_runtime.Targets.ContainsKey("east"));
    }

    [Fact]
    public async Task A_process_target_is_refused_beside_a_server_that_runs_processes_itself()
    {
        var targets = NewTargets();

        var refused = await Assert.ThrowsAsync<ProblemException>(() =>
            targets.AddAsync(new TargetAddRequest("procs", null, Process: true), null, CancellationToken.None));

        Assert.Equal("target procs was not added: this server's own runtime already runs processes: name target local", refused.Message);
        Assert.Empty(targets.All);
    }

    [Fact]
    public async Task A_target_is_processes_or_a_docker_host_never_both()
    {
        var both = await Assert.ThrowsAsync<ProblemException>(() =>
            NewTargets().AddAsync(new TargetAddRequest("procs", "tcp://10.0.0.5:2375", Process: true), null, CancellationToken.None));
        var neither = await Assert.ThrowsAsync<ProblemException>(() =>
            NewTargets().AddAsync(new TargetAddRequest("procs", null), null, CancellationToken.None));

        Assert.Contains(both.Details, d => d.StartsWith("process: a target runs processes on the server's machine (--process) or", StringComparison.Ordinal));
        Assert.Contains(neither.Details, d => d.StartsWith("dockerHost: give the Swarm manager's Engine API", StringComparison.Ordinal));
    }

    private TargetRegistry NewTargets(TargetRuntimeDriver? runtime = null) =>
        new(_store, runtime ?? _runtime, _factory, new EventLog(_store, TimeProvider.System), TimeProvider.System, NullLogger<TargetRegistry>.Instance);

    private sealed class FakeTargetRuntimes : ITargetRuntimeFactory
    {
        public string? Problem { get; set; }

        public int Checked { get; private set; }

        public List<string> Deleted { get; } = [];

        public Task<string?> ProblemAsync(TargetRecord target, CancellationToken cancellationToken)
        {
            Checked++;
            return Task.FromResult(Problem);
        }

        public IRuntimeDriver Create(TargetRecord target) => new FakeRuntimeDriver(TimeProvider.System);

        public void Delete(string target) => Deleted.Add(target);
    }
}
