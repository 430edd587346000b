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
            // The target was removed after the release was made: nothing can run there (the engine records the exit).
            return new ReplicaObservation
            {
                ReplicaId = launch.ReplicaId,
                Service = launch.Service,
                Release = launch.Release,
                Slot = launch.Slot,
                State = ReplicaRunState.Exited,
                ExitCode = 125,
                Message = $"target {target} is not defined on this server (berth target ls): add it again, or deploy the environment to another target",
            };
        }

        var driver = DriverFor(launch);
        _byReplica[launch.ReplicaId] = driver;
        return await driver.StartAsync(launch, cancellationToken).ConfigureAwait(false);
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
        var adopted = await driver.AdoptAsync(handle, launch, cancellationToken).ConfigureAwait(false);
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

    /// <summary>The server's own nodes, then each target's, named after it; a target that does not answer is left out.</summary>
    public async Task<IReadOnlyList<NodeObservation>> ListNodesAsync(CancellationToken cancellationToken)
    {
        var nodes = new List<NodeObservation>(await _local.ListNodesAsync(cancellationToken).ConfigureAwait(false));
        foreach (var (target, driver) in _targets.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            foreach (var node in await NodesOfAsync(driver, cancellationToken).ConfigureAwait(false))
            {
                nodes.Add(node with { Target = target, IsLocal = false });
            }
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
