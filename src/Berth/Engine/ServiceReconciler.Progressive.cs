using Berth.Engine.Gates;
using Berth.Engine.Progressive;
using Berth.Engine.Replicas;
using Berth.Engine.Routing;
using Berth.Routing;
using Berth.Spec;
using Berth.Store;

namespace Berth.Engine;

/// <summary>
/// Blue/green and canary: the new release runs as a second pool beside the stable one (the service's release) until
/// it is switched in (promoted) or thrown away (aborted). The stable pool is managed by the ordinary slot logic; this
/// part carries out what <see cref="CanaryPlanner"/> or <see cref="BlueGreenPlanner"/> decides, in a fixed order:
/// the router first catches up with the saved state, the plan is saved in one transaction, one route built from the
/// saved result is applied, and only then do replicas start or stop (so nothing stops while it still gets traffic).
/// </summary>
public sealed partial class ServiceReconciler
{
    /// <summary>The replicas this part manages, and the release they run, while a blue/green or canary rollout is in effect.</summary>
    private sealed record SidePool(RolloutRecord Rollout, int Release, bool Switched);

    private static SidePool? SidePoolOf(ServiceRecord service, RolloutRecord? latest)
    {
        if (latest is null || latest.Strategy == StrategySpec.RollingKind || !latest.IsActive || latest.Progress is not { } progress)
        {
            return null;
        }

        var switched = progress.Phase == RolloutPhases.Promoted || latest.ToRelease == service.Release;
        return switched
            ? latest.FromRelease is { } from ? new SidePool(latest, from, true) : null
            : new SidePool(latest, latest.ToRelease, false);
    }

    /// <summary>
    /// Replicas left over by a blue/green or canary rollout that is no longer in effect (aborted, superseded, flipped
    /// back): they get no traffic and are stopped (drained first).
    /// </summary>
    private async Task<List<ReplicaRecord>> StopLeftoversAsync(ServiceRecord service, List<ReplicaRecord> replicas, RolloutRecord? latest, CancellationToken cancellationToken)
    {
        var suspects = replicas
            .Where(r => r.IsLive && r.DesiredState == DesiredStates.Running && r.Release != service.Release)
            .Where(r => latest is not { IsActive: true } || (r.Release != latest.ToRelease && r.Release != latest.FromRelease))
            .ToList();
        if (suspects.Count == 0)
        {
            return replicas;
        }

        // Only replicas of a release some blue/green or canary rollout brought in (a rolling update's old replicas
        // are the rolling logic's to replace).
        var rollouts = await _store.ReadAsync(tx => tx.GetRolloutsAsync(service.Name, cancellationToken), cancellationToken);
        var progressiveReleases = rollouts
            .Where(r => r.Strategy != StrategySpec.RollingKind)
            .SelectMany(r => r.FromRelease is { } from ? new[] { r.ToRelease, from } : [r.ToRelease])
            .ToHashSet();
        foreach (var replica in suspects.Where(r => progressiveReleases.Contains(r.Release)))
        {
            replicas[replicas.IndexOf(replica)] = await StopReplicaAsync(service, replica, $"release {replica.Release} is no longer wanted (its rollout ended)", cancellationToken);
        }

        return replicas;
    }

    /// <summary>One pass of the blue/green or canary rollout; returns when to look again.</summary>
    private async Task<DateTimeOffset?> ProgressAsync(ServiceRecord service, SidePool pool, List<ReplicaRecord> side, int desired, CancellationToken cancellationToken)
    {
        var decided = await DecideAndRouteAsync(service, pool.Rollout, side, desired, cancellationToken);
        if (decided is not var (plan, candidate))
        {
            return _time.GetUtcNow();
        }

        // 5. Replicas, now that the router no longer sends anything to those that stop.
        await CarryOutReplicasAsync(service, candidate, pool, plan, side, cancellationToken);

        // 6. The smoke command starts once green is in the preview route; its recorded result is dropped.
        if (plan.StartSmoke is { } smoke)
        {
            _smoke.Start(pool.Rollout.Id, new SmokeCommand(smoke.Command, WorkingDirectoryOf(candidate), SmokeEnvironment(service, candidate, side, candidate.Spec.Berth.Strategy.BlueGreen ?? new BlueGreenSpec()), smoke.Timeout));
        }

        if (plan.ForgetSmoke)
        {
            _smoke.Forget(pool.Rollout.Id);
        }

        return plan.WakeAt;
    }

    /// <summary>
    /// What a rollout command (promote, abort, pause, resume, rollback) runs itself, right after its write, while it
    /// holds the service (<see cref="ReconcileQueue.ClaimAsync"/>): the planner decides from the saved state, the
    /// decision is saved, and the route it implies is applied and acknowledged by the routers — no queue, worker or
    /// timer in between. Replicas to start or stop are left to the engine's next pass, which plans them again from
    /// the saved state. A rollout the command ended (aborted, flipped back) only gets its route.
    /// </summary>
    public async Task SteerAsync(string serviceName, CancellationToken cancellationToken)
    {
        var snapshot = await _store.GetServiceSnapshotAsync(serviceName, cancellationToken);
        if (snapshot is null || snapshot.Service.Removing || snapshot.Release is null)
        {
            return;
        }

        var service = snapshot.Service;
        if (SidePoolOf(service, snapshot.LatestRollout) is not { } pool)
        {
            await ApplyRouteAsync(snapshot, cancellationToken);
            return;
        }

        var side = snapshot.Replicas.Where(r => r.Release == pool.Release).ToList();
        var decided = await DecideAndRouteAsync(service, pool.Rollout, side, await DesiredOfAsync(service, snapshot.Release, cancellationToken), cancellationToken, snapshot);
        if (decided is var (plan, _) && plan.ForgetSmoke)
        {
            _smoke.Forget(pool.Rollout.Id);
        }
    }

    /// <summary>
    /// Steps 1–4 of <see cref="ProgressAsync"/>: the router caught up, the plan made and saved, its route applied.
    /// Null when a command saved since the rollout was read (nothing done; the next pass plans from it). Given the
    /// snapshot the rollout was read from (<paramref name="read"/>), the route is built from it and the plan just saved,
    /// with no second read, unless the plan flips back to a release the snapshot does not hold.
    /// </summary>
    private async Task<(ProgressivePlan Plan, ReleaseRecord Candidate)?> DecideAndRouteAsync(
        ServiceRecord service, RolloutRecord rollout, List<ReplicaRecord> side, int desired, CancellationToken cancellationToken, ServiceSnapshot? read = null)
    {
        var candidate = (read?.Candidate is { } known && known.Number == rollout.ToRelease ? known : null)
            ?? await _store.GetReleaseAsync(service.Name, rollout.ToRelease, cancellationToken)
            ?? throw new InvalidDataException($"release {rollout.ToRelease} of {service.Name} is missing from the store");
        var strategy = candidate.Spec.Berth.Strategy;

        // 1. The router first: an earlier pass may have saved a move whose route never reached it (the apply threw or
        //    failed). It gets that route again now; until it has it, the plan holds (analysis would measure the old split).
        var lag = await CatchUpRouterAsync(service, rollout, strategy, cancellationToken);

        // 2. Decide, from records alone.
        var plan = ProgressivePlanner.Plan(new ProgressiveInput
        {
            Service = service.Name,
            ServiceRelease = service.Release,
            Desired = desired,
            Rollout = rollout,
            Strategy = strategy,
            Pool = PoolObservation.Of(side, rollout.StartedAt),
            Kpis = _kpis,
            Smoke = _smoke.StatusOf(rollout.Id),
            RouterLag = lag,
            OverrideHeader = RouteSync.SettingsOf(candidate.Spec).OverrideHeader,
            Now = _time.GetUtcNow(),
        });

        // 3. One transaction. A command that landed since the rollout was read wins: nothing is done, and the next pass plans from it.
        if (!await _rollouts.SavePlanAsync(service, rollout, plan, cancellationToken))
        {
            Log.PlanSuperseded(_logger, service.Name, rollout.Id);
            return null;
        }

        if (plan.Decisions.Count > 0)
        {
            Log.PlanSaved(_logger, service.Name, rollout.Id, plan.Outcome, string.Join(", ", plan.Decisions.Select(d => d.Kind)));
        }

        // 4. One route, built from what was just saved: the router gets the new split (and green's preview) in this
        //    pass, before anything stops and before a smoke command looks at the preview. It equals plan.Route's split.
        if (read is not null && plan.Stable != StableChange.FlipBack)
        {
            await ApplyRouteAsync(Saved(read, plan, candidate), cancellationToken);
        }
        else
        {
            await ApplyRouteAsync(service, cancellationToken);
        }

        return (plan, candidate);
    }

    /// <summary>What the store holds once <paramref name="plan"/> is saved over <paramref name="read"/> (the service switched to the candidate or not).</summary>
    private static ServiceSnapshot Saved(ServiceSnapshot read, ProgressivePlan plan, ReleaseRecord candidate)
    {
        if (!plan.HasWrites)
        {
            return read;
        }

        var switched = plan.Stable == StableChange.Switch;
        return read with
        {
            Service = switched ? read.Service with { Release = candidate.Number } : read.Service,
            Release = switched ? candidate : read.Release,
            Candidate = switched ? null : read.Candidate,
            LatestRollout = plan.Rollout,
        };
    }

    /// <summary>
    /// Re-applies the route the saved state implies when the router does not serve that split; returns why the router
    /// still lags (its apply failed), or null when it serves it (or the service routes nothing). An apply that throws
    /// fails the pass, and the engine retries it.
    /// </summary>
    private async Task<string?> CatchUpRouterAsync(ServiceRecord service, RolloutRecord rollout, StrategySpec strategy, CancellationToken cancellationToken)
    {
        var expected = RouteSplit.Of(service.Release, rollout, strategy);
        if (_routes.Serves(service.Name, expected))
        {
            return null;
        }

        var (route, error) = await ApplyRouteAsync(service, cancellationToken);
        if (route is null || (route.FrontDoors.Count == 0 && route.Preview is null) || error is null)
        {
            return null;
        }

        Log.RouterLags(_logger, service.Name, rollout.Id, error);
        return $"the router has not taken the route (weight {expected.Weight} to release {expected.CandidateRelease ?? expected.StableRelease}): {error}";
    }

    private async Task CarryOutReplicasAsync(ServiceRecord service, ReleaseRecord candidate, SidePool pool, ProgressivePlan plan, List<ReplicaRecord> side, CancellationToken cancellationToken)
    {
        var live = side.Where(r => r.IsLive && r.DesiredState == DesiredStates.Running).ToList();
        if (plan.StopCandidates && !pool.Switched)
        {
            await StopReplicasAsync(service, live, $"rollout to release {candidate.Number} aborted", cancellationToken);
            return;
        }

        if (plan.ScaleDownStable && pool.Switched)
        {
            await StopReplicasAsync(service, live, $"release {candidate.Number} promoted; scale_down_delay over", cancellationToken);
            return;
        }

        if (plan.CandidateReplicas is not { } want || pool.Switched)
        {
            return;
        }

        var extra = live.Where(r => r.Slot > want).OrderByDescending(r => r.Slot).ToList();
        if (extra.Count > 0)
        {
            await StopReplicasAsync(service, extra, $"release {candidate.Number} scaled to {want}", cancellationToken);
        }

        for (var slot = 1; slot <= want; slot++)
        {
            if (!live.Any(r => r.Slot == slot))
            {
                side.Add(await StartReplicaAsync(service, candidate, slot, restart: false, cancellationToken));
            }
        }
    }

    /// <summary>Applies the route the store describes now (used before any replica stops, and right after a plan is saved).</summary>
    private async Task<(ServiceRoute? Route, string? Error)> ApplyRouteAsync(ServiceRecord service, CancellationToken cancellationToken) =>
        await _store.GetServiceSnapshotAsync(service.Name, cancellationToken) is { } snapshot
            ? await ApplyRouteAsync(snapshot, cancellationToken)
            : (null, null);

    /// <summary>Applies the route <paramref name="snapshot"/> describes (nothing for a service being removed).</summary>
    private async Task<(ServiceRoute? Route, string? Error)> ApplyRouteAsync(ServiceSnapshot snapshot, CancellationToken cancellationToken)
    {
        if (snapshot.Release is not { } release || snapshot.Service.Removing)
        {
            return (null, null);
        }

        var route = _routes.Build(snapshot.Service, release, snapshot.Replicas, snapshot.LatestRollout, snapshot.Candidate);
        return (route, await _routes.ApplyAsync(snapshot.Service, route, cancellationToken));
    }

    private Dictionary<string, string> SmokeEnvironment(ServiceRecord service, ReleaseRecord candidate, List<ReplicaRecord> side, BlueGreenSpec blueGreen)
    {
        var settings = RouteSync.SettingsOf(candidate.Spec);
        var host = candidate.Spec.Ports.FirstOrDefault(p => p.Published is not null)?.HostIp ?? _routes.BindAddress;
        var previewUrl = blueGreen.PreviewPort is { } port
            ? $"http://{host}:{port}"
            : side.FirstOrDefault(r => r.IsReady() && r.Endpoint is not null)?.Endpoint is { } endpoint ? $"http://{endpoint}" : "";
        return new Dictionary<string, string>
        {
            ["BERTH_PREVIEW_URL"] = previewUrl,
            ["BERTH_SERVICE"] = service.Name,
            ["BERTH_RELEASE"] = candidate.Number.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["BERTH_OVERRIDE_HEADER"] = settings.OverrideHeader,
        };
    }

    private static string WorkingDirectoryOf(ReleaseRecord release) =>
        release.Spec.Berth.Process?.WorkingDir ?? Path.GetTempPath();
}
