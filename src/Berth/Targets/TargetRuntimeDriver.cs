using System.Collections.Concurrent;
using Berth.Runtimes;
using Berth.Spec;

namespace Berth.Targets;

/// <summary>
/// The engine's runtime when environments may live elsewhere: each replica runs on its service's target
/// (<see cref="ServiceSpec.Target"/>) — the server's own runtime for <c>local</c>, the Swarm runtime of a Docker target
/// an admin added (<c>berth target add</c>) otherwise. Operations on a replica go to the runtime that started or
/// adopted it; observations and node lists are the union of all of them.
/// </summary>
public sealed class TargetRuntimeDriver : IRuntimeDriver
{
    private readonly IRuntimeDriver _local;
    private readonly ConcurrentDictionary<string, IRuntimeDriver> _targets = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IRuntimeDriver> _byReplica = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IReadOnlyList<NodeObservation>> _lastNodes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _unadopted = new(StringComparer.Ordinal);

    public TargetRuntimeDriver(IRuntimeDriver local)
    {
        _local = local ?? throw new ArgumentNullException(nameof(local));
        _local.ReplicaChanged += Relay;
    }

    /// <summary>The server's own runtime: "process" or "swarm".</summary>
    public string Name => _local.Name;

    public event Action<ReplicaObservation>? ReplicaChanged;

    /// <summary>The runtime of each target the driver runs replicas on, by target name (<c>local</c> not included).</summary>
    public IReadOnlyDictionary<string, IRuntimeDriver> Targets => _targets;

    /// <summary>Runs the services of <paramref name="target"/> on <paramref name="driver"/> from now on.</summary>
    public void Attach(string target, IRuntimeDriver driver)
    {
        ArgumentNullException.ThrowIfNull(driver);
        if (!_targets.TryAdd(target, driver))
        {
            throw new InvalidOperationException($"target {target} already has a runtime");
        }

        driver.ReplicaChanged += Relay;
    }

    /// <summary>Forgets the runtime of <paramref name="target"/> (which the caller then disposes); null when it had none.</summary>
    public IRuntimeDriver? Detach(string target)
    {
        if (!_targets.TryRemove(target, out var driver))
        {
            return null;
        }

        driver.ReplicaChanged -= Relay;
        _lastNodes.TryRemove(target, out _);
        foreach (var (replica, owner) in _byReplica)
        {
            if (ReferenceEquals(owner, driver))
            {
                _byReplica.TryRemove(replica, out _);
            }
        }

        return driver;
    }

    public string RuntimeOf(ServiceSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.Target is { } target ? _targets.TryGetValue(target, out var driver) ? driver.Name : "swarm" : _local.Name;
    }

    public async Task<ReplicaObservation> StartAsync(ReplicaLaunch launch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(launch);
        if (launch.Spec?.Target is { } target && !_targets.ContainsKey(target))
        {
            // The target was removed after the release was made, or its runtime could not be made at start: nothing
            // can run there (the engine records the exit).
            return Refused(launch, $"target {target} has no runtime on this server (removed, or unusable: see the server's log; berth target ls): add it again, or deploy the environment to another target");
        }

        var driver = DriverFor(launch);
        _byReplica[launch.ReplicaId] = driver;
        if (ReferenceEquals(driver, _local))
        {
            return await driver.StartAsync(launch, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            await StopUnadoptedAsync(launch.Spec!.Target!, driver, cancellationToken).ConfigureAwait(false);
            return await driver.StartAsync(launch, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsTargetFailure(e, cancellationToken))
        {
            // A target is another machine: away is an ordinary state, told as a failed start (the restart policy retries).
            _byReplica.TryRemove(launch.ReplicaId, out _);
            return Refused(launch, $"target {launch.Spec!.Target} did not answer: {e.Message}");
        }
    }

    public Task StopAsync(string replicaId, TimeSpan gracePeriod, CancellationToken cancellationToken) =>
        DriverOf(replicaId).StopAsync(replicaId, gracePeriod, cancellationToken);

    public Task RetireAsync(string replicaId, TimeSpan gracePeriod, CancellationToken cancellationToken) =>
        DriverOf(replicaId).RetireAsync(replicaId, gracePeriod, cancellationToken);

    public Task KillAsync(string replicaId, CancellationToken cancellationToken) =>
        DriverOf(replicaId).KillAsync(replicaId, cancellationToken);

    public async Task<ReplicaObservation?> AdoptAsync(ReplicaHandle handle, ReplicaLaunch launch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handle);
        ArgumentNullException.ThrowIfNull(launch);
        if (launch.Spec?.Target is { } target && !_targets.ContainsKey(target))
        {
            return null;
        }

        var driver = DriverFor(launch);
        ReplicaObservation? adopted;
        try
        {
            adopted = await driver.AdoptAsync(handle, launch, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!ReferenceEquals(driver, _local) && IsTargetFailure(e, cancellationToken))
        {
            // Counted as lost and started again there once the target answers, when this one is stopped first (so a
            // replica never runs twice).
            _unadopted[handle.ReplicaId] = launch.Spec!.Target!;
            return null;
        }

        if (adopted is not null)
        {
            _byReplica[handle.ReplicaId] = driver;
        }

        return adopted;
    }

    public IReadOnlyList<ReplicaObservation> Observe() =>
        _targets.IsEmpty ? _local.Observe() : [.. _local.Observe(), .. _targets.Values.SelectMany(d => d.Observe())];

    public IReadOnlyList<ReplicaObservation> Observe(string service) =>
        _targets.IsEmpty ? _local.Observe(service) : [.. _local.Observe(service), .. _targets.Values.SelectMany(d => d.Observe(service))];

    public void Forget(string replicaId)
    {
        DriverOf(replicaId).Forget(replicaId);
        _byReplica.TryRemove(replicaId, out _);
    }

    public IAsyncEnumerable<LogLine> ReadLogsAsync(string replicaId, int tail, bool follow, CancellationToken cancellationToken) =>
        DriverOf(replicaId).ReadLogsAsync(replicaId, tail, follow, cancellationToken);

    /// <summary>
    /// The server's own nodes, then each target's, named after it. A target that does not answer counts with the nodes
    /// it had when it last did (a global service there keeps its replicas), marked state "unknown".
    /// </summary>
    public async Task<IReadOnlyList<NodeObservation>> ListNodesAsync(CancellationToken cancellationToken)
    {
        var nodes = new List<NodeObservation>(await _local.ListNodesAsync(cancellationToken).ConfigureAwait(false));
        foreach (var (target, driver) in _targets.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            IReadOnlyList<NodeObservation> own;
            try
            {
                own = [.. (await driver.ListNodesAsync(cancellationToken).ConfigureAwait(false)).Select(n => n with { Target = target, IsLocal = false })];
                _lastNodes[target] = own;
            }
            catch (Exception e) when (IsTargetFailure(e, cancellationToken))
            {
                own = [.. _lastNodes.GetValueOrDefault(target, []).Select(n => n with { State = "unknown" })];
            }

            nodes.AddRange(own);
        }

        return nodes;
    }

    /// <summary>On the runtime that has the node: the server's own first, then each target's; refused by the server's own when none has it.</summary>
    public async Task SetNodeAvailabilityAsync(string node, string availability, CancellationToken cancellationToken)
    {
        if (!_targets.IsEmpty && !Has(await NodesOfAsync(_local, cancellationToken).ConfigureAwait(false), node))
        {
            foreach (var driver in _targets.Values)
            {
                if (Has(await NodesOfAsync(driver, cancellationToken).ConfigureAwait(false), node))
                {
                    await driver.SetNodeAvailabilityAsync(node, availability, cancellationToken).ConfigureAwait(false);
                    return;
                }
            }
        }

        await _local.SetNodeAvailabilityAsync(node, availability, cancellationToken).ConfigureAwait(false);
    }

    private static bool Has(IReadOnlyList<NodeObservation> nodes, string node) =>
        nodes.Any(n => n.Id == node || n.Hostname == node || (node.Length >= 4 && n.Id.StartsWith(node, StringComparison.Ordinal)));

    private static async Task<IReadOnlyList<NodeObservation>> NodesOfAsync(IRuntimeDriver driver, CancellationToken cancellationToken)
    {
        try
        {
            return await driver.ListNodesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            return [];
        }
    }

    /// <summary>Stops the replicas of <paramref name="target"/> a server start could not adopt (the target was away).</summary>
    private async Task StopUnadoptedAsync(string target, IRuntimeDriver driver, CancellationToken cancellationToken)
    {
        foreach (var (replica, of) in _unadopted)
        {
            if (of == target)
            {
                await driver.StopAsync(replica, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
                _unadopted.TryRemove(replica, out _);
            }
        }
    }

    private static ReplicaObservation Refused(ReplicaLaunch launch, string reason) => new()
    {
        ReplicaId = launch.ReplicaId,
        Service = launch.Service,
        Release = launch.Release,
        Slot = launch.Slot,
        State = ReplicaRunState.Exited,
        ExitCode = 125,
        Message = reason,
    };

    private static bool IsTargetFailure(Exception e, CancellationToken cancellationToken) =>
        e is not OutOfMemoryException && !(e is OperationCanceledException && cancellationToken.IsCancellationRequested);

    private IRuntimeDriver DriverFor(ReplicaLaunch launch) =>
        launch.Spec?.Target is { } target && _targets.TryGetValue(target, out var driver) ? driver : _local;

    /// <summary>The runtime that started or adopted the replica; else the one that observes it; else the server's own.</summary>
    private IRuntimeDriver DriverOf(string replicaId)
    {
        if (_byReplica.TryGetValue(replicaId, out var driver))
        {
            return driver;
        }

        foreach (var candidate in _targets.Values)
        {
            if (candidate.Observe().Any(o => o.ReplicaId == replicaId))
            {
                return candidate;
            }
        }

        return _local;
    }

    private void Relay(ReplicaObservation observation) => ReplicaChanged?.Invoke(observation);
}
