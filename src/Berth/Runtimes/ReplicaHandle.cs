namespace Berth.Runtimes;

/// <summary>The persisted identity of a replica: enough to find the same process again after a server restart.</summary>
public sealed record ReplicaHandle(string ReplicaId, int? Pid, long? ProcessStartTicks, int? Port, string? LogPath);
