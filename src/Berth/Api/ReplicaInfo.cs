namespace Berth.Api;

/// <summary>One replica as `ps` shows it (the documented --json shape).</summary>
public sealed record ReplicaInfo
{
    public required string Id { get; init; }
    public required string Service { get; init; }
    public required string Stack { get; init; }
    public required int Slot { get; init; }
    public required int Release { get; init; }

    /// <summary>running or shutdown: what the engine wants.</summary>
    public required string DesiredState { get; init; }

    /// <summary>pending, starting, running, exited (on its own) or shutdown (stopped by Berth).</summary>
    public required string State { get; init; }

    /// <summary>none, starting, healthy, unhealthy.</summary>
    public required string Health { get; init; }
    public string? Endpoint { get; init; }
    public int? Pid { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? ExitedAt { get; init; }
    public int? ExitCode { get; init; }

    /// <summary>Restarts of this replica's slot so far.</summary>
    public int Restarts { get; init; }
    public string? Message { get; init; }
}
