using System.Runtime.CompilerServices;
using Berth.Api;
using Berth.Runtimes;

namespace Berth.Tests.Engine.Fakes;

/// <summary>
/// A runtime with no processes: replicas are observations the test moves (ready, exited). A started replica is
/// running and ready at once unless <see cref="StartReady"/> is off; stopping one makes it exit with code 0.
/// Survives a "server restart" (a new reconciler on the same store adopts what it still runs).
/// </summary>
internal sealed class FakeRuntimeDriver : IRuntimeDriver
{
    private readonly ReplicaTable<ReplicaObservation> _replicas = new(o => o.Service);
    private readonly TimeProvider _time;
    private int _nextPort = 20000;

    public FakeRuntimeDriver(TimeProvider time) => _time = time;

    public string Name => "process";

    public event Action<ReplicaObservation>? ReplicaChanged;

    /// <summary>New replicas are running and ready at once (true) or stay starting until <see cref="MakeReady"/>.</summary>
    public bool StartReady { get; set; } = true;

    /// <summary>Every start, in order: replica id and release.</summary>
    public List<(string ReplicaId, int Release)> Started { get; } = [];

    /// <summary>Every stop, in order.</summary>
    public List<string> Stopped { get; } = [];

    public Task<ReplicaObservation> StartAsync(ReplicaLaunch launch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(launch);
        var port = Interlocked.Increment(ref _nextPort);
        var observation = new ReplicaObservation
        {
            ReplicaId = launch.ReplicaId,
            Service = launch.Service,
            Release = launch.Release,
            Slot = launch.Slot,
            State = StartReady ? ReplicaRunState.Running : ReplicaRunState.Starting,
            Health = StartReady ? ReplicaHealth.Healthy : ReplicaHealth.Starting,
            Endpoint = $"127.0.0.1:{port}",
            Port = port,
            Pid = port,
            ProcessStartTicks = port,
            StartedAt = _time.GetUtcNow(),
        };
        _replicas.Set(launch.ReplicaId, observation);
        lock (Started)
        {
            Started.Add((launch.ReplicaId, launch.Release));
        }

        return Task.FromResult(observation);
    }

    public Task StopAsync(string replicaId, TimeSpan gracePeriod, CancellationToken cancellationToken)
    {
        lock (Stopped)
        {
            Stopped.Add(replicaId);
        }

        Change(replicaId, o => o with { State = ReplicaRunState.Exited, Health = ReplicaHealth.None, ExitCode = 0, ExitedAt = _time.GetUtcNow() });
        return Task.CompletedTask;
    }

    public Task KillAsync(string replicaId, CancellationToken cancellationToken)
    {
        Exit(replicaId, 137, "killed");
        return Task.CompletedTask;
    }

    public Task<ReplicaObservation?> AdoptAsync(ReplicaHandle handle, ReplicaLaunch launch, CancellationToken cancellationToken) =>
        Task.FromResult(_replicas.TryGetValue(handle.ReplicaId, out var o) && o.State != ReplicaRunState.Exited ? o : null);

    public IReadOnlyList<ReplicaObservation> Observe() => _replicas.Values.ToList();

    public IReadOnlyList<ReplicaObservation> Observe(string service) => _replicas.Of(service).ToList();

    public void Forget(string replicaId)
    {
        if (_replicas.TryGetValue(replicaId, out var observation))
        {
            _replicas.TryRemove(replicaId, observation);
        }
    }

    public async IAsyncEnumerable<LogLine> ReadLogsAsync(string replicaId, int tail, bool follow, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.CompletedTask;
        yield break;
    }

    /// <summary>How many active nodes the runtime has (the first is the local one). Default 1.</summary>
    public int Nodes { get; set; } = 1;

    public Task<IReadOnlyList<NodeObservation>> ListNodesAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<NodeObservation>>(
            [.. Enumerable.Range(0, Nodes).Select(i => new NodeObservation(i == 0 ? "local" : $"node{i}", i == 0 ? "local" : $"node{i}", "manager", NodeAvailabilities.Active, "ready", "127.0.0.1") { IsLocal = i == 0 })]);

    public Task SetNodeAvailabilityAsync(string node, string availability, CancellationToken cancellationToken) =>
        throw new RuntimeRefusedException(RuntimeRefusal.NotPossible, "the fake runtime has one node");

    /// <summary>A starting replica passes its healthcheck.</summary>
    public void MakeReady(string replicaId) =>
        Change(replicaId, o => o with { State = ReplicaRunState.Running, Health = ReplicaHealth.Healthy });

    /// <summary>Every starting replica passes its healthcheck.</summary>
    public void MakeAllReady()
    {
        foreach (var id in _replicas.Values.Where(o => o.State == ReplicaRunState.Starting).Select(o => o.ReplicaId).ToList())
        {
            MakeReady(id);
        }
    }

    /// <summary>A replica dies on its own (a crash): the engine sees it exited with <paramref name="code"/>.</summary>
    public void Exit(string replicaId, int code, string? message = null) =>
        Change(replicaId, o => o with { State = ReplicaRunState.Exited, Health = ReplicaHealth.None, ExitCode = code, ExitedAt = _time.GetUtcNow(), Message = message });

    /// <summary>The live replicas of a release.</summary>
    public IReadOnlyList<ReplicaObservation> LiveOf(int release) =>
        _replicas.Values.Where(o => o.Release == release && o.State != ReplicaRunState.Exited).OrderBy(o => o.Slot).ToList();

    private void Change(string replicaId, Func<ReplicaObservation, ReplicaObservation> change)
    {
        if (_replicas.TryGetValue(replicaId, out var observation))
        {
            var changed = change(observation);
            _replicas.Set(replicaId, changed);
            ReplicaChanged?.Invoke(changed);
        }
    }
}
