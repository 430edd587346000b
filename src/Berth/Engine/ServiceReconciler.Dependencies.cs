using Berth.Engine.Replicas;
using Berth.Spec;
using Berth.Store;

namespace Berth.Engine;

/// <summary>
/// <c>depends_on</c> orders releases within a stack, as <c>docker compose up</c> orders starts: a service's new release
/// (its first replicas, or a rollout that has not started a replica yet) waits while a service it depends on is rolling
/// out, or has no replica of its release started (<c>service_started</c>, the list form) or healthy
/// (<c>service_healthy</c>). Only the start waits: restarts, scaling and rollbacks never do, and once the new release has
/// a replica the rollout goes on whatever its dependencies do.
/// </summary>
public sealed partial class ServiceReconciler
{
    /// <summary>How soon a waiting service looks at its dependencies again.</summary>
    private static readonly TimeSpan DependencyRecheck = TimeSpan.FromSeconds(1);

    /// <summary>Why the service's new release must not start in this pass ("waiting for shop_db (depends_on): …"), or null.</summary>
    private async Task<string?> WaitingForDependenciesAsync(ServiceSnapshot snapshot, CancellationToken cancellationToken)
    {
        var spec = PendingStartOf(snapshot);
        if (spec is null || spec.DependsOn.Count == 0)
        {
            return null;
        }

        foreach (var (name, dependency) in spec.DependsOn)
        {
            var full = $"{snapshot.Service.Stack}_{name}";
            if (await _store.GetServiceSnapshotAsync(full, cancellationToken) is not { Service.Removing: false } other)
            {
                continue;
            }

            if (Blocking(other, dependency) is { } why)
            {
                return $"waiting for {full} (depends_on, {dependency.Condition}): {why}";
            }
        }

        return null;
    }

    /// <summary>The spec of the release about to start its first replica, or null when none is (nothing to order).</summary>
    private static ServiceSpec? PendingStartOf(ServiceSnapshot snapshot)
    {
        if (snapshot.Replicas.Count == 0)
        {
            // A new service: nothing of it has ever run.
            return snapshot.Release?.Spec;
        }

        if (snapshot.LatestRollout is not { IsActive: true } rollout || rollout.Kind == "rollback"
            || snapshot.Replicas.Any(r => r.Release == rollout.ToRelease))
        {
            return null;
        }

        return rollout.ToRelease == snapshot.Service.Release ? snapshot.Release?.Spec : snapshot.Candidate?.Spec;
    }

    /// <summary>What keeps <paramref name="other"/> from being a ready dependency, or null when it is one.</summary>
    private static string? Blocking(ServiceSnapshot other, DependsOnSpec dependency)
    {
        if (other.LatestRollout is { IsActive: true } rollout)
        {
            return rollout.State == RolloutStates.Paused
                ? $"its rollout to release {rollout.ToRelease} is paused"
                : $"it is rolling out release {rollout.ToRelease}";
        }

        var live = other.Replicas.Where(r => r.IsLive && r.Release == other.Service.Release).ToList();
        if (dependency.Condition == "service_healthy")
        {
            return live.Any(r => r.IsReady()) ? null : "none of its replicas is healthy yet";
        }

        return live.Count > 0 ? null : "none of its replicas has started yet";
    }
}
