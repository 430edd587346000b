namespace Berth.Runtimes.Swarm;

/// <summary>The driver's mutable view of one replica: its Swarm service, its current task and its readiness probe.</summary>
internal sealed class SwarmReplica
{
    private ReplicaObservation _current;

    public SwarmReplica(ReplicaLaunch launch, string serviceName, ReplicaObservation initial)
    {
        Launch = launch;
        ServiceName = serviceName;
        _current = initial;
    }

    public ReplicaLaunch Launch { get; }
    public string ServiceName { get; }
    public string? ServiceId { get; set; }

    /// <summary>Replaced whole, never mutated: readers get a consistent snapshot.</summary>
    public ReplicaObservation Current
    {
        get => Volatile.Read(ref _current);
        set => Volatile.Write(ref _current, value);
    }

    /// <summary>Set once Berth removes the service: the watcher leaves it to <see cref="SwarmRuntimeDriver.StopAsync"/>.</summary>
    public bool Stopping { get; set; }

    /// <summary>Consecutive polls that found no task Swarm will run again (one alone may be a moment between two tasks).</summary>
    public int EndedPolls { get; set; }

    /// <summary>When Swarm first said it has no node for the current task; null while it has (or has not said).</summary>
    public DateTimeOffset? UnschedulableSince { get; set; }

    /// <summary>When the watcher last read this replica's tasks.</summary>
    public DateTimeOffset LookedAt { get; set; } = DateTimeOffset.MinValue;

    /// <summary>When an engine event of this replica's container last came.</summary>
    public DateTimeOffset ContainerEventAt { get; set; } = DateTimeOffset.MinValue;

    public string? NodeId { get; set; }
    public string? ContainerId { get; set; }

    /// <summary>What the last task listing said (a probe between two listings is folded into it).</summary>
    public SwarmTaskReading? LastReading { get; set; }

    /// <summary>Whether the last listing found the container's own healthcheck failing.</summary>
    public bool ContainerUnhealthy { get; set; }

    /// <summary>The task the probe state below belongs to; a new task starts probing afresh.</summary>
    public string? ProbedTaskId { get; set; }
    public bool ProbePassed { get; set; }
    public int ProbeFailures { get; set; }
    public DateTimeOffset NextProbeAt { get; set; }
    public string? ProbeMessage { get; set; }

    /// <summary>The compose healthcheck runs inside the container: Swarm reports the task running only once it passes.</summary>
    public bool HasContainerHealthcheck =>
        Launch.Spec?.Healthcheck is { Disabled: false, Test.Count: > 0 } check && check.Test[0] != "NONE";

    public void ResetProbe(string? taskId)
    {
        ProbedTaskId = taskId;
        ProbePassed = false;
        ProbeFailures = 0;
        NextProbeAt = DateTimeOffset.MinValue;
        ProbeMessage = null;
    }
}
