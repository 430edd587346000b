namespace Berth.Runtimes;

/// <summary>The persisted identity of a replica: enough to find the same process again after a server restart.</summary>
public sealed record ReplicaHandle(string ReplicaId, int? Pid, long? ProcessStartTicks, int? Port, string? LogPath)
{
    /// <summary>
    /// The health last recorded before the server stopped. A replica adopted healthy stays healthy (and in its
    /// router's pool) until its own probes say otherwise: a restart of the control plane must not empty a pool.
    /// </summary>
    public ReplicaHealth? LastHealth { get; init; }

    /// <summary>Where the replica was reached before the server stopped (a Swarm task's node address and port).</summary>
    public string? LastEndpoint { get; init; }
}
