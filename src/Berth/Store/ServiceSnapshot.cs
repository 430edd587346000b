namespace Berth.Store;

/// <summary>
/// One service as the store holds it, read in one transaction: what an engine pass starts from, and what the router
/// and the service's status are derived from at its end.
/// </summary>
/// <param name="Service">The service row.</param>
/// <param name="Replicas">Its replicas, live and exited (history), by slot, oldest first.</param>
/// <param name="LatestRollout">Its newest rollout, or null.</param>
/// <param name="Release">The service's release (null only if the store lost it).</param>
/// <param name="Candidate">The release a blue/green or canary rollout brings in, while that is not the service's release.</param>
public sealed record ServiceSnapshot(
    ServiceRecord Service,
    IReadOnlyList<ReplicaRecord> Replicas,
    RolloutRecord? LatestRollout,
    ReleaseRecord? Release,
    ReleaseRecord? Candidate);
