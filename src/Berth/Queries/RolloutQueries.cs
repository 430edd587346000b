using Berth.Api;
using Berth.Engine;
using Berth.Spec;
using Berth.Store;

namespace Berth.Queries;

/// <summary>Read models for `releases` and `rollout status`.</summary>
public sealed class RolloutQueries
{
    private readonly BerthStore _store;

    public RolloutQueries(BerthStore store) => _store = store;

    public Task<IReadOnlyList<ReleaseInfo>> GetReleasesAsync(string service, CancellationToken cancellationToken) =>
        _store.ReadAsync<IReadOnlyList<ReleaseInfo>>(
            async tx =>
            {
                var owner = await tx.GetServiceAsync(service, cancellationToken) ?? throw ProblemException.NotFound($"no service named {service}");
                var rollouts = await tx.GetRolloutsAsync(service, cancellationToken);
                var failed = rollouts.Where(r => r.State is RolloutStates.RolledBack or RolloutStates.Paused).Select(r => r.ToRelease).ToHashSet();
                var previous = rollouts.LastOrDefault(r => r.ToRelease == owner.Release)?.FromRelease;
                return (await tx.GetReleasesAsync(service, cancellationToken))
                    .Select(r => new ReleaseInfo
                    {
                        Number = r.Number,
                        CreatedAt = r.CreatedAt,
                        Summary = r.Summary,
                        Artifact = ServiceQueries.ArtifactOf(r.Spec),
                        State = r.Number == owner.Release ? "current" : failed.Contains(r.Number) ? "failed" : r.Number == previous ? "previous" : "old",
                    })
                    .ToList();
            },
            cancellationToken);

    public Task<RolloutInfo> GetLatestAsync(string service, CancellationToken cancellationToken) =>
        _store.ReadAsync(
            async tx =>
            {
                var owner = await tx.GetServiceAsync(service, cancellationToken) ?? throw ProblemException.NotFound($"no service named {service}");
                var rollout = await tx.GetLatestRolloutAsync(service, cancellationToken)
                    ?? throw ProblemException.NotFound($"service {service} has had no rollout yet (its first deploy started release {owner.Release} directly)");
                return Describe(rollout, owner, await tx.GetReplicasAsync(service, cancellationToken));
            },
            cancellationToken);

    public static RolloutInfo Describe(RolloutRecord rollout, ServiceRecord service, IReadOnlyList<ReplicaRecord> replicas) => new()
    {
        Id = rollout.Id,
        Service = rollout.Service,
        Kind = rollout.Kind,
        FromRelease = rollout.FromRelease,
        ToRelease = rollout.ToRelease,
        State = rollout.State,
        Reason = rollout.Reason,
        Total = service.Mode == DeployModes.Global ? 1 : service.DesiredReplicas,
        Updated = replicas.Count(r => r.IsLive && r.Release == rollout.ToRelease && r.IsReady()),
        Failed = rollout.FailedReplicas.Count,
        Parallelism = rollout.Config.Parallelism,
        Order = rollout.Config.Order,
        FailureAction = rollout.Config.FailureAction,
        MonitorSeconds = rollout.Config.Monitor.TotalSeconds,
        StartedAt = rollout.StartedAt,
        UpdatedAt = rollout.UpdatedAt,
    };
}
