namespace Berth.Runtimes;

/// <summary>What a runtime reports about one replica at one moment (observed state; never desired).</summary>
public sealed record ReplicaObservation
{
    public required string ReplicaId { get; init; }
    public required string Service { get; init; }
    public required int Release { get; init; }
    public required int Slot { get; init; }
    public required ReplicaRunState State { get; init; }
    public ReplicaHealth Health { get; init; } = ReplicaHealth.None;

    /// <summary>host:port where the replica listens (127.0.0.1:PORT for the process runtime).</summary>
    public string? Endpoint { get; init; }
    public int? Port { get; init; }
    public int? Pid { get; init; }

    /// <summary>Process start time in clock ticks since boot (/proc/PID/stat field 22), to tell a reused pid apart.</summary>
    public long? ProcessStartTicks { get; init; }
    public string? LogPath { get; init; }
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? ExitedAt { get; init; }

    /// <summary>Exit code, or 128+signal when killed by a signal.</summary>
    public int? ExitCode { get; init; }

    /// <summary>Why it is in this state (last health output, spawn error, ...).</summary>
    public string? Message { get; init; }

    /// <summary>Persistable identity of this replica, for adoption after a server restart.</summary>
    public ReplicaHandle ToHandle() => new(ReplicaId, Pid, ProcessStartTicks, Port, LogPath);
}

/// <summary>Lifecycle of a replica as the runtime sees it.</summary>
public enum ReplicaRunState
{
    Starting,
    Running,
    Exited,
}

/// <summary>Health of a running replica.</summary>
public enum ReplicaHealth
{
    /// <summary>No health check: healthy once running.</summary>
    None,
    Starting,
    Healthy,
    Unhealthy,
}
