namespace Berth.Runtimes.Process;

/// <summary>
/// What the driver holds for one replica: the latest observation (replaced whole, under <see cref="Gate"/>)
/// plus the process identity and the handles needed to watch and stop it.
/// </summary>
internal sealed class ProcessReplica(
    ReplicaObservation initial,
    ReplicaLaunch launch,
    ReplicaVariables variables,
    IReadOnlyDictionary<string, string> environment,
    bool isChild,
    CancellationToken driverStopping) : IDisposable
{
    private volatile ReplicaObservation _current = initial;
    private volatile int _lastSignal;

    public Lock Gate { get; } = new();

    /// <summary>The latest observation; only replaced under <see cref="Gate"/>.</summary>
    public ReplicaObservation Current
    {
        get => _current;
        set => _current = value;
    }

    public ReplicaLaunch Launch { get; } = launch;

    public ReplicaVariables Variables { get; } = variables;

    /// <summary>The replica's own variables (launch environment plus PORT/BERTH_*), for command probes.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; } = environment;

    /// <summary>True when this server run started the process (exit is reported by waitpid); false when adopted (polled).</summary>
    public bool IsChild { get; } = isChild;

    public System.Diagnostics.Process? Process { get; set; }

    public int ProcessGroupId { get; init; }

    /// <summary>True when this replica's port reservation is its own, to release on exit.</summary>
    public bool OwnsPort { get; init; }

    /// <summary>Cancelled when the replica exits or the driver is disposed; ends its health loop and watchers.</summary>
    public CancellationTokenSource Lifetime { get; } = CancellationTokenSource.CreateLinkedTokenSource(driverStopping);

    public TaskCompletionSource Exited { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool HasExited => _current.State == ReplicaRunState.Exited;

    /// <summary>The last signal Berth sent (0 = none), to explain an adopted process's exit.</summary>
    public int LastSignal
    {
        get => _lastSignal;
        set => _lastSignal = value;
    }

    public void Dispose()
    {
        Lifetime.Dispose();
        Process?.Dispose();
    }
}
