namespace Berth.Api;

/// <summary>Answer to POST /api/v1/replicas/{id}/kill: the replica was killed (its restart policy applies).</summary>
public sealed record ReplicaKillInfo(string Id, bool Killed);
