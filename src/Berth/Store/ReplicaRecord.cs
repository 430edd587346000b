namespace Berth.Store;

/// <summary>A replica (Swarm's "task") as stored: its identity, what the engine wants of it, and what was last observed.</summary>
public sealed record ReplicaRecord
{
    public required string Id { get; init; }
    public required string Service { get; init; }
    public required int Slot { get; init; }
    public required int Release { get; init; }

    /// <summary>running or shutdown.</summary>
    public required string DesiredState { get; init; }

    /// <summary>See <see cref="ReplicaStates"/>.</summary>
    public required string State { get; init; }
    public string Health { get; init; } = "none";
    public string? Endpoint { get; init; }
    public int? Port { get; init; }
    public int? Pid { get; init; }
    public long? ProcessStartTicks { get; init; }
    public string? LogPath { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? ExitedAt { get; init; }
    public int? ExitCode { get; init; }
    public string? Message { get; init; }

    public bool IsLive => State is ReplicaStates.Pending or ReplicaStates.Starting or ReplicaStates.Running;
}

/// <summary>Stored replica states.</summary>
public static class ReplicaStates
{
    public const string Pending = "pending";
    public const string Starting = "starting";
    public const string Running = "running";

    /// <summary>Exited on its own (or killed from outside); the restart policy decides what follows.</summary>
    public const string Exited = "exited";

    /// <summary>Stopped by Berth (scale down, replaced, removed).</summary>
    public const string Shutdown = "shutdown";
}

/// <summary>Stored desired states of a replica.</summary>
public static class DesiredStates
{
    public const string Running = "running";
    public const string Shutdown = "shutdown";
}
