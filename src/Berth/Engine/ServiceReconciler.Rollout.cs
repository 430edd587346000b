using Berth.Engine.Replicas;
using Berth.Engine.Rolling;
using Berth.Spec;
using Berth.Store;

namespace Berth.Engine;

public sealed partial class ServiceReconciler
{
    /// <summary>What one rolling step left: the replicas, when to look again, and whether it did anything at all.</summary>
    private sealed record RolloutStep(List<ReplicaRecord> Replicas, DateTimeOffset? WakeAt, bool Moved);

    /// <summary>Moves the service's rollout (<paramref name="latest"/>, its newest) on by one step of <see cref="RolloutPlanner"/>.</summary>
    private async Task<RolloutStep> RollOutAsync(
        ServiceRecord service, ReleaseRecord release, RolloutRecord? latest, List<ReplicaRecord> replicas, int desired, CancellationToken cancellationToken)
    {
        var step = await StepRolloutAsync(service, release, latest, replicas, desired, cancellationToken);
        return step ?? new RolloutStep(replicas, null, Moved: false);
    }

    /// <summary>One rolling step; null when there is nothing to roll (no rollout in effect, no replica of another release).</summary>
    private async Task<RolloutStep?> StepRolloutAsync(
        ServiceRecord service, ReleaseRecord release, RolloutRecord? latest, List<ReplicaRecord> replicas, int desired, CancellationToken cancellationToken)
    {
        var rollout = latest;
        var live = replicas.Where(r => r.IsLive).ToList();
        if (rollout is null || !rollout.IsActive || rollout.ToRelease != service.Release)
        {
            if (live.FirstOrDefault(r => r.Release != service.Release) is not { } old)
            {
                return null;
            }

            // Old replicas but no rollout for this release (e.g. a store from before rollouts): roll with update_config.
            rollout = await _rollouts.StartAsync(service, "update", old.Release, service.Release, release.Spec.Deploy.UpdateConfig, cancellationToken);
        }

        if (rollout.State == RolloutStates.Paused)
        {
            return null;
        }

        var now = _time.GetUtcNow();
        var target = rollout.ToRelease == release.Number ? release : await _store.GetReleaseAsync(service.Name, rollout.ToRelease, cancellationToken) ?? release;
        var plan = RolloutPlanner.Plan(rollout, replicas, desired, now, ReplicaLaunchFactory.StartGrace(target.Spec));
        if (plan.NewFailures.Count > 0)
        {
            rollout = rollout with { FailedReplicas = [.. rollout.FailedReplicas, .. plan.NewFailures.Select(f => f.ReplicaId)], UpdatedAt = now };
            await _rollouts.SaveAsync(rollout, cancellationToken);
            foreach (var (replicaId, why) in plan.NewFailures)
            {
                await EventAsync("rollout.replica_failed", service, replicaId, why, cancellationToken);
            }
        }

        // start-first: the old replicas whose replacement is ready leave together, retired (out of the router and
        // drained, then stopped without holding the pass, as Swarm's updater moves on once it set them to shutdown).
        var retiring = plan.StopOld.Select(id => replicas.First(r => r.Id == id)).ToList();
        if (retiring.Count > 0)
        {
            var retired = await StopReplicasAsync(service, retiring, $"replaced by release {rollout.ToRelease}", cancellationToken, retire: true);
            for (var i = 0; i < retiring.Count; i++)
            {
                replicas[replicas.IndexOf(retiring[i])] = retired[i];
            }
        }

        switch (plan.Verdict)
        {
            case RolloutVerdict.Pause:
                await _rollouts.FinishAsync(service, rollout, RolloutStates.Paused, plan.Reason, cancellationToken);
                return new RolloutStep(replicas, null, Moved: true);
            case RolloutVerdict.Rollback:
                await _rollouts.RollBackAsync(service, rollout, plan.Reason!, cancellationToken);
                return new RolloutStep(replicas, now, Moved: true);
            case RolloutVerdict.Completed:
                await _rollouts.FinishAsync(service, rollout, RolloutStates.Completed, null, cancellationToken);
                return new RolloutStep(replicas, null, Moved: true);
        }

        if (plan.BatchFinished)
        {
            rollout = rollout with { LastBatchDoneAt = now, UpdatedAt = now };
            await _rollouts.SaveAsync(rollout, cancellationToken);
        }

        if (plan.StartBatch.Count > 0)
        {
            rollout = rollout with { LastBatchDoneAt = null, UpdatedAt = now };
            await _rollouts.SaveAsync(rollout, cancellationToken);
            foreach (var slot in plan.StartBatch)
            {
                var old = replicas.First(r => r.IsLive && r.Slot == slot && r.Release != rollout.ToRelease);
                if (rollout.Config.Order != "start-first")
                {
                    replicas[replicas.IndexOf(old)] = await StopReplicaAsync(service, old, $"replaced by release {rollout.ToRelease}", cancellationToken);
                }

                replicas.Add(await StartReplicaAsync(service, target, slot, restart: false, cancellationToken));
            }

            await EventAsync("rollout.batch", service, null, $"{service.Name}: updating slot(s) {string.Join(", ", plan.StartBatch)} to release {rollout.ToRelease} ({rollout.Config.Order})", cancellationToken);
        }

        return new RolloutStep(replicas, plan.WakeAt, Moved: true);
    }
}
