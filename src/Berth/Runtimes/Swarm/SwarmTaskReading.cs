using System.Globalization;
using Models = Docker.DotNet.Models;

namespace Berth.Runtimes.Swarm;

/// <summary>What the tasks of one replica's Swarm service say right now.</summary>
public sealed record SwarmTaskReading
{
    public required SwarmTaskPhase Phase { get; init; }
    public string? TaskId { get; init; }
    public string? ContainerId { get; init; }
    public string? NodeId { get; init; }

    /// <summary>host:port of the task's first published port (127.0.0.1 on the server's own node).</summary>
    public string? Endpoint { get; init; }
    public int? Port { get; init; }
    public int? ExitCode { get; init; }
    public string? Message { get; init; }

    /// <summary>Reads a replica's tasks: the task Swarm wants running (if any) decides; otherwise the latest one says why none runs.</summary>
    public static SwarmTaskReading Read(IEnumerable<Models.TaskResponse> tasks, Func<string?, string?> hostOfNode)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        ArgumentNullException.ThrowIfNull(hostOfNode);
        var ordered = tasks.OrderByDescending(t => t.CreatedAt ?? DateTime.MinValue).ToList();
        var latest = ordered.FirstOrDefault();
        if (latest is null)
        {
            return new SwarmTaskReading { Phase = SwarmTaskPhase.Starting, Message = "waiting for Swarm to create a task" };
        }

        // A task whose desired state is still ready/running is the one Swarm is bringing up (a replacement waits in "ready"
        // through the restart delay); older tasks are history.
        var current = ordered.FirstOrDefault(t => t.DesiredState is { } d && d <= Models.TaskState.Running);
        if (current is null)
        {
            return latest.Status?.State == Models.TaskState.Rejected
                ? Ended(latest, SwarmTaskPhase.Rejected)
                : Ended(latest, SwarmTaskPhase.Ended);
        }

        var state = current.Status?.State ?? Models.TaskState.New;
        if (state == Models.TaskState.Running)
        {
            var port = PublishedPort(current);
            var host = hostOfNode(current.NodeID);
            return new SwarmTaskReading
            {
                Phase = SwarmTaskPhase.Running,
                TaskId = current.ID,
                ContainerId = current.Status?.ContainerStatus?.ContainerID,
                NodeId = current.NodeID,
                Port = port,
                Endpoint = port is { } p && host is not null ? $"{host}:{p.ToString(CultureInfo.InvariantCulture)}" : null,
            };
        }

        // Why the previous task ended is the interesting part while its replacement comes up. A refused task (no such
        // image, ...) is refused again at every retry: the replica has failed, whatever the restart policy says.
        var previous = ordered.FirstOrDefault(t => t != current && t.Status?.State >= Models.TaskState.Complete);
        if (previous?.Status?.State == Models.TaskState.Rejected)
        {
            return Ended(previous, SwarmTaskPhase.Rejected);
        }

        // Swarm keeps a task it cannot place "pending" (desired running) for ever, saying why in its error: no node satisfies
        // the placement constraints, or none has the reserved resources. The driver gives it a short grace, then fails it.
        // Nodes that are merely drained or down ("not available for new tasks") are not the spec's fault: the task waits
        // for `node activate`, as in Swarm.
        if (state == Models.TaskState.Pending && current.Status?.Err is { } err && IsUnplaceable(err))
        {
            return new SwarmTaskReading { Phase = SwarmTaskPhase.Unschedulable, TaskId = current.ID, Message = err };
        }

        var why = previous is null ? Describe(current) : "replacing a task that ended (" + Describe(previous) + ")";
        return new SwarmTaskReading
        {
            Phase = SwarmTaskPhase.Starting,
            TaskId = current.ID,
            NodeId = current.NodeID,
            Message = why,
        };
    }

    /// <summary>
    /// True when Swarm's "no suitable node (…; …)" names a reason other than nodes being unavailable (drained, down):
    /// constraints, resources, platform, ports. Swarm checks availability first, so a drained node adds only that reason.
    /// </summary>
    internal static bool IsUnplaceable(string err)
    {
        if (!err.Contains("no suitable node", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var open = err.IndexOf('(', StringComparison.Ordinal);
        var close = err.LastIndexOf(')');
        if (open < 0 || close <= open)
        {
            return true;
        }

        return err[(open + 1)..close]
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Any(reason => !reason.Contains("not available for new tasks", StringComparison.OrdinalIgnoreCase));
    }

    private static SwarmTaskReading Ended(Models.TaskResponse task, SwarmTaskPhase phase) => new()
    {
        Phase = phase,
        TaskId = task.ID,
        NodeId = task.NodeID,
        ContainerId = task.Status?.ContainerStatus?.ContainerID,
        ExitCode = task.Status?.ContainerStatus is { } container ? (int)container.ExitCode : null,
        Message = Describe(task),
    };

    private static string? Describe(Models.TaskResponse task)
    {
        var status = task.Status;
        if (status is null)
        {
            return null;
        }

        var state = status.State?.ToString().ToLowerInvariant();
        var detail = !string.IsNullOrEmpty(status.Err) ? status.Err : status.Message;
        return string.IsNullOrEmpty(detail) ? state : $"{state}: {detail}";
    }

    private static int? PublishedPort(Models.TaskResponse task)
    {
        var ports = task.Status?.PortStatus?.Ports;
        var published = ports?.FirstOrDefault(p => p.PublishedPort is > 0)?.PublishedPort;
        return published is { } port ? (int)port : null;
    }
}

/// <summary>Where a replica's Swarm service stands.</summary>
public enum SwarmTaskPhase
{
    /// <summary>A task is being scheduled, prepared or started (or a replacement waits out the restart delay).</summary>
    Starting,

    /// <summary>A task runs (and passed its container healthcheck, if any: Swarm only reports running after it).</summary>
    Running,

    /// <summary>No task will run again: the restart policy says so (none, on-failure after exit 0, max_attempts reached).</summary>
    Ended,

    /// <summary>The engine refused the task (no such image, invalid mount, ...): it cannot start as specified.</summary>
    Rejected,

    /// <summary>Swarm finds no node for the task ("no suitable node": placement constraints or resources); it stays pending.</summary>
    Unschedulable,
}
