using Berth.Engine.Events;
using Berth.Engine.Progressive;
using Berth.Spec;
using Berth.Store;

namespace Berth.Engine.Rolling;

/// <summary>Writes rollout decisions to the store (with their events) so a restarted server resumes them.</summary>
public sealed class RolloutLedger
{
    private readonly BerthStore _store;
    private readonly EventLog _events;
    private readonly TimeProvider _time;

    public RolloutLedger(BerthStore store, EventLog events, TimeProvider time)
    {
        _store = store;
        _events = events;
        _time = time;
    }

    public async Task<RolloutRecord> StartAsync(ServiceRecord service, string kind, int? from, int to, UpdateConfigSpec config, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var (rollout, entry) = await _store.WriteAsync(
            async tx =>
            {
                var created = await tx.InsertRolloutAsync(New(service.Name, kind, from, to, config, now), cancellationToken);
                var entry = await _events.AppendAsync(tx, "rollout.started", service.Stack, service.Name, null, Describe(created), cancellationToken);
                return (created, entry);
            },
            cancellationToken);
        _events.Publish(entry);
        return rollout;
    }

    public Task SaveAsync(RolloutRecord rollout, CancellationToken cancellationToken) =>
        _store.WriteAsync(tx => tx.UpdateRolloutAsync(rollout, cancellationToken), cancellationToken);

    public async Task FinishAsync(ServiceRecord service, RolloutRecord rollout, string state, string? reason, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        await SaveAsync(rollout with { State = state, Reason = reason ?? rollout.Reason, UpdatedAt = now }, cancellationToken);
        var message = state == RolloutStates.Completed
            ? $"{service.Name}: {rollout.Kind} to release {rollout.ToRelease} completed"
            : $"{service.Name}: {rollout.Kind} to release {rollout.ToRelease} {state}: {reason}";
        await _events.AppendAsync($"rollout.{state}", service.Stack, service.Name, null, message, cancellationToken);
    }

    /// <summary>failure_action rollback: the update is marked rolled back and the previous release comes back per rollback_config.</summary>
    public async Task<RolloutRecord> RollBackAsync(ServiceRecord service, RolloutRecord failed, string reason, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var back = failed.FromRelease ?? throw new InvalidOperationException("a rollback needs a release to go back to");
        var (rollout, entries) = await _store.WriteAsync(
            async tx =>
            {
                await tx.UpdateRolloutAsync(failed with { State = RolloutStates.RolledBack, Reason = reason, UpdatedAt = now }, cancellationToken);
                var config = (await tx.GetReleaseAsync(service.Name, failed.ToRelease, cancellationToken))?.Spec.Deploy.RollbackConfig ?? new UpdateConfigSpec();
                var current = await tx.GetServiceAsync(service.Name, cancellationToken) ?? service;
                await tx.UpsertServiceAsync(current with { Release = back, UpdatedAt = now }, cancellationToken);
                await tx.ClearRestartsAsync(service.Name, cancellationToken);
                var rollout = await tx.InsertRolloutAsync(New(service.Name, "rollback", failed.ToRelease, back, config, now) with { State = RolloutStates.RollingBack, Reason = reason }, cancellationToken);
                var first = await _events.AppendAsync(tx, "rollout.rolled_back", service.Stack, service.Name, null, $"{service.Name}: update to release {failed.ToRelease} rolled back: {reason}", cancellationToken);
                var second = await _events.AppendAsync(tx, "rollout.started", service.Stack, service.Name, null, Describe(rollout), cancellationToken);
                return (rollout, new[] { first, second });
            },
            cancellationToken);
        _events.Publish(entries);
        return rollout;
    }

    /// <summary>
    /// Saves a blue/green or canary plan's writes in one transaction: the rollout's state and progress, the service's
    /// release when it switches or flips back, the decisions, samples and events — a decision is never stored without
    /// the state it describes. Nothing is written when a command (promote, abort, pause, resume, rollback) changed the
    /// rollout after <paramref name="read"/> was read: the command wins, and the next pass plans from it. Returns
    /// whether the plan was saved.
    /// </summary>
    public async Task<bool> SavePlanAsync(ServiceRecord service, RolloutRecord read, ProgressivePlan plan, CancellationToken cancellationToken)
    {
        if (!plan.HasWrites)
        {
            return true;
        }

        var entries = await _store.WriteAsync(
            async tx =>
            {
                var stored = await tx.GetRolloutAsync(read.Id, cancellationToken);
                if (stored is null || stored.State != read.State || stored.Reason != read.Reason || stored.UpdatedAt != read.UpdatedAt || stored.Progress != read.Progress)
                {
                    return null;
                }

                await tx.UpdateRolloutAsync(plan.Rollout, cancellationToken);
                if (plan.Stable != StableChange.None)
                {
                    var current = await tx.GetServiceAsync(service.Name, cancellationToken) ?? service;
                    var release = plan.Stable == StableChange.Switch ? plan.Rollout.ToRelease : plan.Rollout.FromRelease ?? current.Release;
                    await tx.UpsertServiceAsync(current with { Release = release, UpdatedAt = _time.GetUtcNow() }, cancellationToken);
                    if (plan.Stable == StableChange.Switch)
                    {
                        await tx.ClearRestartsAsync(service.Name, cancellationToken);
                    }
                }

                foreach (var decision in plan.Decisions)
                {
                    await tx.AddRolloutDecisionAsync(decision, cancellationToken);
                }

                foreach (var sample in plan.Samples)
                {
                    await tx.AddRolloutSampleAsync(sample, cancellationToken);
                }

                var entries = new List<EventRecord>();
                foreach (var planned in plan.Events)
                {
                    entries.Add(await _events.AppendAsync(tx, planned.Kind, service.Stack, service.Name, null, planned.Message, cancellationToken));
                }

                return entries;
            },
            cancellationToken);
        if (entries is null)
        {
            return false;
        }

        _events.Publish(entries);
        return true;
    }

    public static RolloutRecord New(string service, string kind, int? from, int to, UpdateConfigSpec config, DateTimeOffset now) => new()
    {
        Id = 0,
        Service = service,
        Kind = kind,
        FromRelease = from,
        ToRelease = to,
        State = kind == "rollback" ? RolloutStates.RollingBack : RolloutStates.Updating,
        Config = config,
        StartedAt = now,
        UpdatedAt = now,
    };

    public static string Describe(RolloutRecord rollout) =>
        $"{rollout.Service}: {rollout.Kind} from release {rollout.FromRelease?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"} to {rollout.ToRelease} " +
        $"(parallelism {rollout.Config.Parallelism}, {rollout.Config.Order}, monitor {DurationText.Format(rollout.Config.Monitor)}, delay {DurationText.Format(rollout.Config.Delay)}, failure_action {rollout.Config.FailureAction})";
}
