using System.Security.Cryptography;
using Berth.Engine.Events;
using Berth.Engine.Gates;
using Berth.Engine.Replicas;
using Berth.Engine.Rolling;
using Berth.Engine.Routing;
using Berth.Routing;
using Berth.Runtimes;
using Berth.Spec;
using Berth.Store;
using Microsoft.Extensions.Logging;

namespace Berth.Engine;

/// <summary>
/// One reconcile pass for one service: reloads desired state (store) and observed state (runtime), then takes the
/// smallest set of actions. Steps run in a fixed order, each idempotent; the order matters because later steps
/// count on the records the earlier ones brought up to date.
/// </summary>
public sealed partial class ServiceReconciler
{
    /// <summary>Exited replicas kept per slot for `ps` history (Swarm's task history limit is 5).</summary>
    private const int HistoryPerSlot = 5;

    private readonly BerthStore _store;
    private readonly IRuntimeDriver _driver;
    private readonly EventLog _events;
    private readonly RouteSync _routes;
    private readonly RolloutLedger _rollouts;
    private readonly IKpiSource _kpis;
    private readonly ISmokeTestRunner _smoke;
    private readonly TimeProvider _time;
    private readonly ILogger<ServiceReconciler> _logger;

    public ServiceReconciler(
        BerthStore store,
        IRuntimeDriver driver,
        EventLog events,
        RouteSync routes,
        RolloutLedger rollouts,
        IKpiSource kpis,
        ISmokeTestRunner smoke,
        TimeProvider time,
        ILogger<ServiceReconciler> logger)
    {
        _kpis = kpis;
        _smoke = smoke;
        _rollouts = rollouts;
        _store = store;
        _driver = driver;
        _events = events;
        _routes = routes;
        _time = time;
        _logger = logger;
    }

    public async Task<ReconcileResult> ReconcileAsync(string serviceName, CancellationToken cancellationToken)
    {
        // One read of the store to start from; a pass that changes nothing (the usual resync) reads nothing else.
        var snapshot = await _store.GetServiceSnapshotAsync(serviceName, cancellationToken);
        if (snapshot is null)
        {
            await _routes.RemoveAsync(serviceName, cancellationToken);
            await StopStraysAsync(serviceName, cancellationToken);
            return ReconcileResult.Done("no such service");
        }

        var service = snapshot.Service;

        // 1. Bring stored replicas up to date with what the runtime reports (exits, health changes, lost replicas).
        var replicas = await RecordObservationsAsync(service, snapshot.Replicas, cancellationToken);

        // 2. A service being removed only stops replicas, then disappears.
        if (service.Removing)
        {
            return await RemoveAsync(service, replicas, cancellationToken);
        }

        var release = snapshot.Release
            ?? throw new InvalidDataException($"release {service.Release} of {service.Name} is missing from the store");
        var desired = await DesiredOfAsync(service, release, cancellationToken);

        // 3. A blue/green or canary rollout that ended leaves replicas nobody wants: out of the router, then stopped.
        //    One still in effect keeps its other release apart: the slot logic below manages the stable pool only.
        var latest = snapshot.LatestRollout;
        replicas = await StopLeftoversAsync(service, replicas, latest, cancellationToken);
        var pool = SidePoolOf(service, latest);
        var side = pool is null ? [] : replicas.Where(r => r.Release == pool.Release).ToList();
        replicas = pool is null ? replicas : replicas.Where(r => r.Release != pool.Release).ToList();

        // 4. Stop what must not run: slots above the desired count, and unhealthy replicas (Swarm replaces those).
        replicas = await StopExtraSlotsAsync(service, replicas, desired, cancellationToken);
        replicas = await StopUnhealthyAsync(service, replicas, cancellationToken);
        side = await StopUnhealthyAsync(service, side, cancellationToken);

        // 5. Move the rolling update (or rollback) on: update_config's batches, order, monitor, delay, failure_action.
        //    It may change the service's release (rollback), so the rest of the pass then reloads it. A new release
        //    whose depends_on services are not ready yet waits (nothing of it starts; what runs keeps running).
        var waiting = await WaitingForDependenciesAsync(snapshot, cancellationToken);
        var rolloutStep = new RolloutStep(replicas, waiting is null ? null : _time.GetUtcNow() + DependencyRecheck, Moved: false);
        if (pool is null && waiting is null)
        {
            rolloutStep = await RollOutAsync(service, release, latest, replicas, desired, cancellationToken);
            replicas = rolloutStep.Replicas;
            if (rolloutStep.Moved && await _store.GetServiceSnapshotAsync(serviceName, cancellationToken) is { } reloaded)
            {
                service = reloaded.Service;
                release = reloaded.Release ?? release;
            }
        }

        // 6. Fill every empty slot, as the restart policy allows (a new service waiting for its dependencies: none yet).
        var slots = waiting is not null && snapshot.Replicas.Count == 0
            ? new SlotOutcome([], [], null)
            : await FillSlotsAsync(service, release, replicas, desired, cancellationToken);

        // 7. Blue/green or canary: the other pool's replicas, the weight, analysis, gates, the switch.
        var rolloutWake = rolloutStep.WakeAt;
        if (pool is not null && waiting is null)
        {
            rolloutWake = await ProgressAsync(service, pool, side, desired, cancellationToken);
        }

        // 8. Only now tell the router: it gets exactly the replicas that are ready after this pass. What the pass
        //    changed is read back first; a pass that changed nothing goes on from the snapshot it started from.
        var unchanged = pool is null && !rolloutStep.Moved && SameRecords(replicas, snapshot.Replicas);
        var final = unchanged ? snapshot : await _store.GetServiceSnapshotAsync(serviceName, cancellationToken) ?? snapshot;
        await ApplyRouteAsync(final, cancellationToken);

        await PruneHistoryAsync(final.Replicas, cancellationToken);
        var result = await RecordStatusAsync(final, desired, slots, waiting, cancellationToken);
        return rolloutWake is { } wake && (result.RequeueAfter is null || wake - _time.GetUtcNow() < result.RequeueAfter)
            ? ReconcileResult.After(wake - _time.GetUtcNow(), "rollout step due")
            : result;
    }

    /// <summary>The replicas a service wants: its count, or in global mode one per active node of its target.</summary>
    private async Task<int> DesiredOfAsync(ServiceRecord service, ReleaseRecord? release, CancellationToken cancellationToken) =>
        service.Mode == DeployModes.Global
            ? (await _driver.ListNodesAsync(cancellationToken)).Count(n => n.Availability == "active" && n.Target == release?.Spec.Target)
            : service.DesiredReplicas;

    /// <summary>True when the pass left every record as it read it (records are replaced, never changed in place).</summary>
    private static bool SameRecords(List<ReplicaRecord> replicas, IReadOnlyList<ReplicaRecord> read)
    {
        if (replicas.Count != read.Count)
        {
            return false;
        }

        for (var i = 0; i < read.Count; i++)
        {
            if (!ReferenceEquals(replicas[i], read[i]))
            {
                return false;
            }
        }

        return true;
    }

    private async Task<List<ReplicaRecord>> RecordObservationsAsync(ServiceRecord service, IReadOnlyList<ReplicaRecord> stored, CancellationToken cancellationToken)
    {
        var replicas = stored.ToList();
        var observed = _driver.Observe(service.Name).ToDictionary(o => o.ReplicaId, StringComparer.Ordinal);
        var now = _time.GetUtcNow();
        for (var i = 0; i < replicas.Count; i++)
        {
            var record = replicas[i];
            if (!record.IsLive)
            {
                continue;
            }

            var updated = observed.TryGetValue(record.Id, out var observation)
                ? record.WithObservation(observation)
                : record.AsGone(ReplicaStates.Exited, now, "lost: the runtime no longer knows this replica");
            if (updated == record)
            {
                continue;
            }

            await SaveReplicaAsync(updated, cancellationToken);
            await ReportChangeAsync(service, record, updated, cancellationToken);
            if (observation is { State: ReplicaRunState.Exited })
            {
                _driver.Forget(record.Id);
            }

            replicas[i] = updated;
        }

        return replicas;
    }

    private async Task ReportChangeAsync(ServiceRecord service, ReplicaRecord before, ReplicaRecord after, CancellationToken cancellationToken)
    {
        if (after.State == ReplicaStates.Exited && before.State != ReplicaStates.Exited)
        {
            var code = after.ExitCode is null ? "unknown exit status" : $"exit code {after.ExitCode}";
            await EventAsync("replica.exited", service, after.Id, $"{after.Id} exited ({code}){(after.Message is null ? "" : ": " + after.Message)}", cancellationToken);
            Log.ReplicaExited(_logger, service.Name, after.Id, after.ExitCode);
        }
        else if (after.Health != before.Health && after.Health is "healthy" or "unhealthy")
        {
            var detail = after.Health == "unhealthy" && after.Message is not null ? ": " + after.Message : "";
            await EventAsync($"replica.{after.Health}", service, after.Id, $"{after.Id} is {after.Health}{detail}", cancellationToken);
        }
    }

    private async Task<ReconcileResult> RemoveAsync(ServiceRecord service, List<ReplicaRecord> replicas, CancellationToken cancellationToken)
    {
        await _routes.RemoveAsync(service.Name, cancellationToken);
        await StopReplicasAsync(service, replicas.Where(r => r.IsLive).ToList(), "service removed", cancellationToken);

        var deletedStack = await _store.WriteAsync(
            async tx =>
            {
                await tx.DeleteServiceAsync(service.Name, cancellationToken);
                if ((await tx.GetServicesAsync(service.Stack, cancellationToken)).Count == 0)
                {
                    await tx.DeleteStackAsync(service.Stack, cancellationToken);
                    return true;
                }

                return false;
            },
            cancellationToken);
        await EventAsync("service.removed", service, null, $"service {service.Name} removed", cancellationToken);
        if (deletedStack)
        {
            await _events.AppendAsync("stack.removed", service.Stack, null, null, $"stack {service.Stack} removed", cancellationToken);
        }

        return ReconcileResult.Done("removed");
    }

    private async Task<List<ReplicaRecord>> StopExtraSlotsAsync(ServiceRecord service, List<ReplicaRecord> replicas, int desired, CancellationToken cancellationToken)
    {
        // The slots above the new count, all at once, as `docker service scale` does.
        var extra = replicas.Where(r => r.IsLive && r.Slot > desired).OrderByDescending(r => r.Slot).ToList();
        var stopped = await StopReplicasAsync(service, extra, $"scaled down to {desired}", cancellationToken);
        for (var i = 0; i < extra.Count; i++)
        {
            replicas[replicas.IndexOf(extra[i])] = stopped[i];
        }

        return replicas;
    }

    private async Task<List<ReplicaRecord>> StopUnhealthyAsync(ServiceRecord service, List<ReplicaRecord> replicas, CancellationToken cancellationToken)
    {
        foreach (var replica in replicas.Where(r => r.IsLive && r.Health == "unhealthy").ToList())
        {
            await _routes.DrainAsync(service.Name, replica.Id, cancellationToken);
            await _driver.StopAsync(replica.Id, await StopGraceOfAsync(replica, cancellationToken), cancellationToken);
            var observation = _driver.Observe(service.Name).FirstOrDefault(o => o.ReplicaId == replica.Id);
            var exited = (observation is null ? replica : replica.WithObservation(observation))
                .AsGone(ReplicaStates.Exited, _time.GetUtcNow(), $"stopped because unhealthy: {replica.Message}");
            _driver.Forget(replica.Id);
            await SaveReplicaAsync(exited, cancellationToken);
            await EventAsync("replica.exited", service, replica.Id, $"{replica.Id} stopped because it was unhealthy", cancellationToken);
            replicas[replicas.IndexOf(replica)] = exited;
        }

        return replicas;
    }

    private ReplicaRecord? Last(IEnumerable<ReplicaRecord> replicas, int slot) =>
        replicas.Where(r => r.Slot == slot).MaxBy(r => r.CreatedAt);

    internal static string NewReplicaId(string service, int slot) =>
        $"{service}.{slot}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
}
