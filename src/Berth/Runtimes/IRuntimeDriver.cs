namespace Berth.Runtimes;

/// <summary>What the engine needs from a place that runs replicas (OS processes, Docker Swarm, ...).</summary>
public interface IRuntimeDriver
{
    /// <summary>"process" or "swarm".</summary>
    string Name { get; }

    /// <summary>
    /// The runtime ("process" or "swarm") that runs <paramref name="spec"/>'s replicas: <see cref="Name"/>, unless the
    /// driver runs each service on its target's runtime (<see cref="Targets.TargetRuntimeDriver"/>).
    /// </summary>
    string RuntimeOf(Spec.ServiceSpec spec) => Name;

    /// <summary>Signalled whenever a replica's observation changes (exit, health change); the engine re-reconciles its service.</summary>
    event Action<ReplicaObservation>? ReplicaChanged;

    /// <summary>Starts one replica; returns once it is launched (it may not be healthy yet).</summary>
    Task<ReplicaObservation> StartAsync(ReplicaLaunch launch, CancellationToken cancellationToken);

    /// <summary>Stops a replica gracefully: SIGTERM to its process group, SIGKILL after <paramref name="gracePeriod"/>.</summary>
    Task StopAsync(string replicaId, TimeSpan gracePeriod, CancellationToken cancellationToken);

    /// <summary>
    /// Stops a replica nobody waits for: the old replica of a start-first rolling update, its replacement ready and
    /// itself already out of the router and drained. A driver may return once the stop is under way and the runtime
    /// enforces the grace period by itself (Swarm: its service removed, as Swarm's updater moves on after setting the
    /// old task to shutdown); by default it is <see cref="StopAsync"/>.
    /// </summary>
    Task RetireAsync(string replicaId, TimeSpan gracePeriod, CancellationToken cancellationToken) =>
        StopAsync(replicaId, gracePeriod, cancellationToken);

    /// <summary>Kills a replica at once (SIGKILL), like <c>docker kill</c>; the engine then applies the restart policy.</summary>
    Task KillAsync(string replicaId, CancellationToken cancellationToken);

    /// <summary>Re-attaches to a replica started by an earlier server run, if it is still the same live process; null otherwise.</summary>
    Task<ReplicaObservation?> AdoptAsync(ReplicaHandle handle, ReplicaLaunch launch, CancellationToken cancellationToken);

    /// <summary>The current observation of every replica the driver knows about (running or exited but not yet forgotten).</summary>
    IReadOnlyList<ReplicaObservation> Observe();

    /// <summary>The current observation of every replica of one service the driver knows about (the engine's per-pass view).</summary>
    IReadOnlyList<ReplicaObservation> Observe(string service);

    /// <summary>Drops an exited replica from the driver's memory once the engine has recorded it.</summary>
    void Forget(string replicaId);

    /// <summary>Reads a replica's log: the last <paramref name="tail"/> lines, then new lines while <paramref name="follow"/>.</summary>
    IAsyncEnumerable<LogLine> ReadLogsAsync(string replicaId, int tail, bool follow, CancellationToken cancellationToken);

    /// <summary>The nodes replicas can run on (one local node for the process runtime).</summary>
    Task<IReadOnlyList<NodeObservation>> ListNodesAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Sets a node's availability (active, pause or drain; <paramref name="node"/> is its id or hostname), like
    /// <c>docker node update --availability</c>. Throws <see cref="RuntimeRefusedException"/> for an unknown node, a bad
    /// value, or a runtime that has no such notion.
    /// </summary>
    Task SetNodeAvailabilityAsync(string node, string availability, CancellationToken cancellationToken);
}
