using Berth.Engine.Replicas;
using Berth.Spec;
using Berth.Store;

namespace Berth.Engine.Rolling;

/// <summary>
/// Docker Swarm's rolling update as a pure decision: `parallelism` slots in flight at a time (0 = all), `order`
/// stop-first or start-first, each new replica watched for `monitor` (exits or is not ready by then = failure), `delay`
/// between batches, and `failure_action` once failures exceed `max_failure_ratio` of the replicas.
/// With `delay` 0 the next slot starts as soon as one in flight is ready, as each of Swarm's `parallelism` update
/// workers takes the next slot once its own is done; with a `delay` the slots go in batches of `parallelism`, the
/// next batch `delay` after the whole previous one is ready.
/// A slot is done once its new replica is ready; `monitor` does not hold the next one back (as in Swarm's
/// updater, which watches for failures while it goes on, then once more for `monitor` before the update completes):
/// a new replica fails if it exits before `monitor` has passed since it started — even after later batches began —
/// or is still not ready when both `monitor` and its start grace have passed: the time its healthcheck gives it
/// before it can be declared unhealthy (start_period + retries × (interval + timeout)), as Swarm keeps a task
/// "starting" until its healthcheck decides. The rollout completes once every slot runs a ready new replica and the
/// last one's `monitor` has passed.
/// </summary>
public static class RolloutPlanner
{
    public static RolloutPlan Plan(RolloutRecord rollout, IReadOnlyList<ReplicaRecord> replicas, int desired, DateTimeOffset now, TimeSpan startGrace = default)
    {
        var config = rollout.Config;
        var live = replicas.Where(r => r.IsLive).ToList();
        var started = replicas.Where(r => r.Release == rollout.ToRelease && r.CreatedAt >= rollout.StartedAt).ToList();

        // 1. Judge the replicas this rollout started: failed, succeeded (ready when monitor ends) or still watched.
        var failures = new List<(string, string)>();
        var watched = new List<ReplicaRecord>();
        foreach (var replica in started.Where(r => !rollout.FailedReplicas.Contains(r.Id)))
        {
            var monitorEnd = replica.CreatedAt + config.Monitor;
            var readyBy = replica.CreatedAt + (config.Monitor > startGrace ? config.Monitor : startGrace);
            if (replica.State == ReplicaStates.Exited && (replica.ExitedAt ?? now) <= (monitorEnd > readyBy ? monitorEnd : readyBy))
            {
                failures.Add((replica.Id, $"{replica.Id} exited ({(replica.ExitCode is { } code ? $"code {code}" : "status unknown")}) within monitor {DurationText.Format(config.Monitor)}{(replica.Message is { Length: > 0 } why ? ": " + why : "")}"));
            }
            else if (replica.IsLive && !replica.IsReady() && now > readyBy)
            {
                failures.Add((replica.Id, $"{replica.Id} was not ready within {DurationText.Format(readyBy - replica.CreatedAt)} (monitor {DurationText.Format(config.Monitor)}; its healthcheck allows start_period + retries × (interval + timeout) = {DurationText.Format(startGrace)})"));
            }
            else if (replica.IsLive && (now < monitorEnd || !replica.IsReady()))
            {
                watched.Add(replica);
            }
        }

        var failedTotal = rollout.FailedReplicas.Count + failures.Count;
        if (failures.Count > 0 && (double)failedTotal / Math.Max(desired, 1) > config.MaxFailureRatio)
        {
            var reason = $"update to release {rollout.ToRelease} failed: {failures[0].Item2} ({failedTotal} of {desired} replicas failed; max_failure_ratio {config.MaxFailureRatio})";
            switch (config.FailureAction)
            {
                case "pause":
                    return new RolloutPlan { NewFailures = failures, Verdict = RolloutVerdict.Pause, Reason = reason };
                case "rollback" when rollout.Kind == "update" && rollout.FromRelease is not null:
                    return new RolloutPlan { NewFailures = failures, Verdict = RolloutVerdict.Rollback, Reason = reason };
                case "rollback":
                    return new RolloutPlan { NewFailures = failures, Verdict = RolloutVerdict.Pause, Reason = reason + "; nothing to roll back to, paused" };
            }
        }

        // 2. start-first: an old replica leaves as soon as its slot's new replica is ready.
        var stopOld = live
            .Where(old => old.Release != rollout.ToRelease
                && live.Any(n => n.Slot == old.Slot && n.Release == rollout.ToRelease && n.IsReady()))
            .Select(old => old.Id)
            .ToList();

        var outdated = live.Where(r => r.Release != rollout.ToRelease && !stopOld.Contains(r.Id)).ToList();
        // Slots in flight hold the next ones until they are ready (all of a batch, with a delay; one of them, without);
        // `monitor` goes on being watched meanwhile.
        var inFlight = live.Where(r => r.Release == rollout.ToRelease && !r.IsReady() && !failures.Any(f => f.Item1 == r.Id)).ToList();
        var parallelism = config.Parallelism == 0 ? int.MaxValue : config.Parallelism;
        var sliding = config.Delay <= TimeSpan.Zero;
        // start-first: a slot in flight still has its old replica; it is not to be started again.
        var pending = outdated.Where(old => !inFlight.Any(n => n.Slot == old.Slot)).ToList();
        DateTimeOffset? inFlightMonitorEnd = inFlight.Count > 0 ? inFlight.Min(r => r.CreatedAt + config.Monitor) : null;
        if (inFlightMonitorEnd is { } wake && (!sliding || inFlight.Count >= parallelism || pending.Count == 0))
        {
            return new RolloutPlan { NewFailures = failures, StopOld = stopOld, WakeAt = wake > now ? wake : now + TimeSpan.FromMilliseconds(500) };
        }

        if (outdated.Count == 0)
        {
            var everySlot = Enumerable.Range(1, desired).All(slot => live.Any(r => r.Slot == slot && r.Release == rollout.ToRelease && r.IsReady()));
            var monitoring = watched.Where(r => !failures.Any(f => f.Item1 == r.Id)).ToList();
            return everySlot && monitoring.Count == 0
                ? new RolloutPlan { NewFailures = failures, StopOld = stopOld, Verdict = RolloutVerdict.Completed }
                : new RolloutPlan
                {
                    NewFailures = failures,
                    StopOld = stopOld,
                    WakeAt = everySlot ? monitoring.Min(r => r.CreatedAt + config.Monitor) : now + TimeSpan.FromSeconds(1),
                };
        }

        // 3. With a delay, the batch that ran is over: `delay` counts from now.
        var batchRan = started.Count > 0;
        if (!sliding && batchRan && rollout.LastBatchDoneAt is null)
        {
            return new RolloutPlan { NewFailures = failures, StopOld = stopOld, BatchFinished = true, WakeAt = now + config.Delay };
        }

        if (!sliding && rollout.LastBatchDoneAt is { } done && done + config.Delay > now)
        {
            return new RolloutPlan { NewFailures = failures, StopOld = stopOld, WakeAt = done + config.Delay };
        }

        // 4. The next slots, lowest first: as many as `parallelism` leaves free; look again when their monitor ends, or
        //    earlier for a slot still in flight from before.
        var size = Math.Min(parallelism - inFlight.Count, pending.Count);
        var batchMonitorEnd = now + config.Monitor;
        return new RolloutPlan
        {
            NewFailures = failures,
            StopOld = stopOld,
            StartBatch = pending.OrderBy(r => r.Slot).Select(r => r.Slot).Distinct().Take(size).ToList(),
            WakeAt = inFlightMonitorEnd is { } earlier && earlier < batchMonitorEnd ? earlier : batchMonitorEnd,
        };
    }
}
