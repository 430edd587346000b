using Berth.Engine.Replicas;
using Berth.Runtimes;
using Berth.Spec;
using Berth.Store;

namespace Berth.Engine;

public sealed partial class ServiceReconciler
{
    /// <summary>What the slots of a service look like after a pass: why some stay empty, and when to look again.</summary>
    private sealed record SlotOutcome(List<string> GaveUp, List<string> StayingDown, DateTimeOffset? NextRestart);

    private async Task<SlotOutcome> FillSlotsAsync(ServiceRecord service, ReleaseRecord release, List<ReplicaRecord> replicas, int desired, CancellationToken cancellationToken)
    {
        var outcome = new SlotOutcome([], [], null);
        var next = (DateTimeOffset?)null;
        var policy = release.Spec.Deploy.RestartPolicy;
        for (var slot = 1; slot <= desired; slot++)
        {
            if (replicas.Any(r => r.Slot == slot && r.IsLive))
            {
                continue;
            }

            var last = Last(replicas, slot);

            // A new slot, or one whose replica Berth itself stopped (scale down, replacement): start it, no restart counted.
            if (last is null || last.State == ReplicaStates.Shutdown || last.Release != service.Release)
            {
                replicas.Add(await StartReplicaAsync(service, release, slot, restart: false, cancellationToken));
                continue;
            }

            var restarts = await _store.ReadAsync(tx => tx.GetRestartsAsync(service.Name, slot, cancellationToken), cancellationToken);
            var now = _time.GetUtcNow();
            var decision = RestartPolicyEvaluator.Decide(policy, last.ExitCode, last.ExitedAt ?? now, restarts, now);
            switch (decision.Action)
            {
                case RestartAction.GiveUp:
                    outcome.GaveUp.Add($"slot {slot} {decision.Reason}");
                    break;
                case RestartAction.StayDown:
                    outcome.StayingDown.Add($"slot {slot} {decision.Reason}");
                    break;
                case RestartAction.Restart when decision.At <= now:
                    replicas.Add(await StartReplicaAsync(service, release, slot, restart: true, cancellationToken));
                    break;
                default:
                    next = next is null || decision.At < next ? decision.At : next;
                    break;
            }
        }

        return outcome with { NextRestart = next };
    }

    private async Task<ReplicaRecord> StartReplicaAsync(ServiceRecord service, ReleaseRecord release, int slot, bool restart, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var pending = new ReplicaRecord
        {
            Id = NewReplicaId(service.Name, slot),
            Service = service.Name,
            Slot = slot,
            Release = release.Number,
            DesiredState = DesiredStates.Running,
            State = ReplicaStates.Pending,
            CreatedAt = now,
        };

        // The row exists before the process does: a crash in between leaves a "pending" row that is found lost and
        // replaced at the next start, never an unknown process.
        await _store.WriteAsync(
            async tx =>
            {
                await tx.SaveReplicaAsync(pending, cancellationToken);
                if (restart)
                {
                    await tx.AddRestartAsync(service.Name, slot, now, cancellationToken);
                }
            },
            cancellationToken);

        var launch = await ReplicaLaunchFactory.CreateAsync(_store, release, pending.Id, slot, service.Stack, cancellationToken);
        var observation = await _driver.StartAsync(launch, cancellationToken);
        var started = pending.WithObservation(observation);
        await SaveReplicaAsync(started, cancellationToken);
        if (started.State == ReplicaStates.Exited)
        {
            _driver.Forget(started.Id);
            await EventAsync("replica.exited", service, started.Id, $"{started.Id} failed to start: {started.Message}", cancellationToken);
        }
        else
        {
            var verb = restart ? "restarted" : "started";
            await EventAsync("replica.started", service, started.Id, $"{started.Id} {verb} (release {release.Number}) on {started.Endpoint}, pid {started.Pid}", cancellationToken);
            Log.ReplicaStarted(_logger, service.Name, started.Id, release.Number, started.Endpoint);
        }

        return started;
    }

    private async Task<ReplicaRecord> StopReplicaAsync(ServiceRecord service, ReplicaRecord replica, string why, CancellationToken cancellationToken) =>
        (await StopReplicasAsync(service, [replica], why, cancellationToken))[0];

    /// <summary>
    /// Stops replicas together, as Swarm stops a removed or scaled-down service's tasks: all are marked for shutdown and
    /// the router gets one change (every replica that is ready now, e.g. a replacement, and none of these); then each is
    /// drained (in-flight requests finish) and gets SIGTERM, in parallel, so a stack of N replicas stops in one grace period.
    /// With <paramref name="retire"/>, the runtime may return before they have exited (<see cref="IRuntimeDriver.RetireAsync"/>).
    /// </summary>
    private async Task<IReadOnlyList<ReplicaRecord>> StopReplicasAsync(
        ServiceRecord service, IReadOnlyList<ReplicaRecord> replicas, string why, CancellationToken cancellationToken, bool retire = false)
    {
        // Nothing to stop, nothing to take out of the router: no route change to wait on (a new service's first pass
        // would otherwise wait for every router to acknowledge its empty route before starting a replica).
        if (replicas.Count == 0)
        {
            return [];
        }

        var stopping = new List<(ReplicaRecord Replica, TimeSpan Grace)>();
        var graceOfRelease = new Dictionary<int, TimeSpan>();
        foreach (var replica in replicas)
        {
            var marked = replica with { DesiredState = DesiredStates.Shutdown };
            await SaveReplicaAsync(marked, cancellationToken);
            if (!graceOfRelease.TryGetValue(replica.Release, out var grace))
            {
                grace = graceOfRelease[replica.Release] = await StopGraceOfAsync(replica, cancellationToken);
            }

            stopping.Add((marked, grace));
        }

        await ApplyRouteAsync(service, cancellationToken);
        await Task.WhenAll(stopping.Select(async s =>
        {
            await _routes.DrainAsync(service.Name, s.Replica.Id, cancellationToken);
            await (retire ? _driver.RetireAsync(s.Replica.Id, s.Grace, cancellationToken) : _driver.StopAsync(s.Replica.Id, s.Grace, cancellationToken));
        }));

        var stopped = new List<ReplicaRecord>();
        var observations = _driver.Observe(service.Name).ToDictionary(o => o.ReplicaId, StringComparer.Ordinal);
        foreach (var (marked, _) in stopping)
        {
            var observation = observations.GetValueOrDefault(marked.Id);
            var gone = (observation is null ? marked : marked.WithObservation(observation))
                .AsGone(ReplicaStates.Shutdown, _time.GetUtcNow(), why);
            _driver.Forget(marked.Id);
            await SaveReplicaAsync(gone, cancellationToken);
            await EventAsync("replica.stopped", service, marked.Id, $"{marked.Id} stopped: {why}", cancellationToken);
            stopped.Add(gone);
        }

        return stopped;
    }

    private async Task<TimeSpan> StopGraceOfAsync(ReplicaRecord replica, CancellationToken cancellationToken) =>
        (await _store.GetReleaseAsync(replica.Service, replica.Release, cancellationToken))?.Spec.StopGracePeriod
        ?? TimeSpan.FromSeconds(10);

    /// <summary>The service's status from the state a pass ended with (<paramref name="final"/>), saved when it changed.</summary>
    private async Task<ReconcileResult> RecordStatusAsync(ServiceSnapshot final, int desired, SlotOutcome slots, string? waiting, CancellationToken cancellationToken)
    {
        var service = final.Service;
        var live = final.Replicas.Where(r => r.IsLive).ToList();
        var ready = live.Count(r => r.Release == service.Release && r.IsReady());
        var rollout = final.LatestRollout;
        var (status, reason) = slots switch
        {
            _ when waiting is not null => (ServiceStatuses.Converging, waiting),
            _ when rollout is { State: RolloutStates.Paused } => (ServiceStatuses.Paused, $"rollout to release {rollout.ToRelease} paused: {rollout.Reason}"),
            _ when rollout is { State: RolloutStates.Updating, Strategy: not StrategySpec.RollingKind, Progress: { } progress } =>
                (ServiceStatuses.Converging, $"{rollout.Strategy} to release {rollout.ToRelease}: {progress.Phase.Replace('_', ' ')}, weight {progress.Weight} %"),
            _ when rollout is { State: RolloutStates.Updating or RolloutStates.RollingBack } =>
                (ServiceStatuses.Converging, $"{(rollout.Kind == "rollback" ? "rolling back" : "updating")} to release {rollout.ToRelease}: {ready}/{desired} ready"),
            { GaveUp.Count: > 0 } => (ServiceStatuses.Failed, string.Join("; ", slots.GaveUp)),
            _ when ready == desired && live.Count == desired => (ServiceStatuses.Running, (string?)null),
            { StayingDown.Count: > 0 } when ready + slots.StayingDown.Count >= desired => (ServiceStatuses.Degraded, string.Join("; ", slots.StayingDown)),
            _ => (ServiceStatuses.Converging, $"{ready}/{desired} replicas ready"),
        };

        if (status != service.Status || reason != service.StatusReason)
        {
            await _store.WriteAsync(
                async tx =>
                {
                    var current = await tx.GetServiceAsync(service.Name, cancellationToken);
                    if (current is not null)
                    {
                        await tx.UpsertServiceAsync(current with { Status = status, StatusReason = reason, UpdatedAt = _time.GetUtcNow() }, cancellationToken);
                    }
                },
                cancellationToken);
            if (status != service.Status)
            {
                await EventAsync($"service.{status}", service, null, reason is null ? $"{service.Name} is {status}" : $"{service.Name} is {status}: {reason}", cancellationToken);
            }
        }

        if (slots.NextRestart is { } next)
        {
            return ReconcileResult.After(next - _time.GetUtcNow(), $"restart due at {next:O}");
        }

        // Starting replicas report through the driver's change event; the periodic look is a safety net.
        return live.Any(r => !r.IsReady()) ? ReconcileResult.After(TimeSpan.FromSeconds(1), "waiting for replicas") : ReconcileResult.Done(status);
    }

    /// <summary>Deletes exited replicas beyond the history kept per slot.</summary>
    private async Task PruneHistoryAsync(IReadOnlyList<ReplicaRecord> replicas, CancellationToken cancellationToken)
    {
        var old = replicas
            .Where(r => !r.IsLive)
            .GroupBy(r => r.Slot)
            .SelectMany(g => g.OrderByDescending(r => r.CreatedAt).Skip(HistoryPerSlot))
            .ToList();
        if (old.Count == 0)
        {
            return;
        }

        await _store.WriteAsync(
            async tx =>
            {
                foreach (var replica in old)
                {
                    await tx.DeleteReplicaAsync(replica, cancellationToken);
                }
            },
            cancellationToken);
    }

    /// <summary>Stops replicas the runtime still runs for a service the store no longer has (e.g. removed while they started).</summary>
    private async Task StopStraysAsync(string serviceName, CancellationToken cancellationToken)
    {
        foreach (var stray in _driver.Observe(serviceName))
        {
            if (stray.State != Runtimes.ReplicaRunState.Exited)
            {
                await _driver.StopAsync(stray.ReplicaId, TimeSpan.FromSeconds(10), cancellationToken);
            }

            _driver.Forget(stray.ReplicaId);
        }
    }

    private Task SaveReplicaAsync(ReplicaRecord replica, CancellationToken cancellationToken) =>
        _store.WriteAsync(tx => tx.SaveReplicaAsync(replica, cancellationToken), cancellationToken);

    private Task EventAsync(string kind, ServiceRecord service, string? replica, string message, CancellationToken cancellationToken) =>
        _events.AppendAsync(kind, service.Stack, service.Name, replica, message, cancellationToken);
}
