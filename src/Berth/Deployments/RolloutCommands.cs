using Berth.Api;
using Berth.Engine;
using Berth.Spec;
using Berth.Store;

namespace Berth.Deployments;

/// <summary>`rollout pause|resume` and `rollback [--to N]`: each checks first, then writes one transaction, then wakes the engine.</summary>
public sealed class RolloutCommands
{
    private readonly BerthStore _store;
    private readonly EventLog _events;
    private readonly ReconcileQueue _queue;
    private readonly TimeProvider _time;

    public RolloutCommands(BerthStore store, EventLog events, ReconcileQueue queue, TimeProvider time)
    {
        _store = store;
        _events = events;
        _queue = queue;
        _time = time;
    }

    public Task<RolloutRecord> PauseAsync(string service, CancellationToken cancellationToken) =>
        ChangeAsync(service, r => r.State is RolloutStates.Updating or RolloutStates.RollingBack, RolloutStates.Paused, "paused by request", "pause", cancellationToken);

    public Task<RolloutRecord> ResumeAsync(string service, CancellationToken cancellationToken) =>
        ChangeAsync(service, r => r.State == RolloutStates.Paused, null, null, "resume", cancellationToken);

    private async Task<RolloutRecord> ChangeAsync(string service, Func<RolloutRecord, bool> allowed, string? state, string? reason, string verb, CancellationToken cancellationToken)
    {
        var (rollout, entry) = await _store.WriteAsync(
            async tx =>
            {
                var owner = await tx.GetServiceAsync(service, cancellationToken) ?? throw ProblemException.NotFound($"no service named {service}");
                var latest = await tx.GetLatestRolloutAsync(service, cancellationToken);
                if (latest is null || !allowed(latest))
                {
                    throw ProblemException.Conflict(latest is null
                        ? $"service {service} has no rollout to {verb}"
                        : $"cannot {verb} rollout #{latest.Id} of {service}: it is {latest.State}");
                }

                var next = latest with
                {
                    State = state ?? (latest.Kind == "rollback" ? RolloutStates.RollingBack : RolloutStates.Updating),
                    Reason = reason,
                    UpdatedAt = _time.GetUtcNow(),
                };
                await tx.UpdateRolloutAsync(next, cancellationToken);
                var entry = await _events.AppendAsync(tx, $"rollout.{(state is null ? "resumed" : "paused")}", owner.Stack, service, null, $"{service}: rollout #{latest.Id} {(state is null ? "resumed" : "paused")} by request", cancellationToken);
                return (next, entry);
            },
            cancellationToken);
        _events.Publish(entry);
        _queue.Enqueue(service);
        return rollout;
    }

    /// <summary>Rolls back to <paramref name="toRelease"/> (any earlier release; default the one before the current).</summary>
    public async Task<RolloutRecord> RollbackAsync(string service, int? toRelease, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var (rollout, entry) = await _store.WriteAsync(
            async tx =>
            {
                var owner = await tx.GetServiceAsync(service, cancellationToken) ?? throw ProblemException.NotFound($"no service named {service}");
                var releases = await tx.GetReleasesAsync(service, cancellationToken);
                var latest = await tx.GetLatestRolloutAsync(service, cancellationToken);
                var target = toRelease ?? PreviousOf(owner, latest, releases);
                if (target is null)
                {
                    throw ProblemException.Invalid($"service {service} has no earlier release to roll back to (it has only release {owner.Release})");
                }

                var release = releases.FirstOrDefault(r => r.Number == target)
                    ?? throw ProblemException.Invalid($"service {service} has no release {target}; its releases are {string.Join(", ", releases.Select(r => r.Number))}");
                if (release.Number == owner.Release && latest is not { IsActive: true })
                {
                    throw ProblemException.Conflict($"service {service} already runs release {release.Number}: nothing to roll back");
                }

                if (latest is { IsActive: true })
                {
                    await tx.UpdateRolloutAsync(latest with { State = RolloutStates.Superseded, Reason = "replaced by a rollback", UpdatedAt = now }, cancellationToken);
                }

                var current = releases.First(r => r.Number == owner.Release);
                await tx.UpsertServiceAsync(owner with { Release = release.Number, UpdatedAt = now }, cancellationToken);
                await tx.ClearRestartsAsync(service, cancellationToken);
                var rollout = await tx.InsertRolloutAsync(RolloutLedger.New(service, "rollback", owner.Release, release.Number, current.Spec.Deploy.RollbackConfig, now) with { Reason = "rollback requested" }, cancellationToken);
                var entry = await _events.AppendAsync(tx, "rollout.started", owner.Stack, service, null, RolloutLedger.Describe(rollout), cancellationToken);
                return (rollout, entry);
            },
            cancellationToken);
        _events.Publish(entry);
        _queue.Enqueue(service);
        return rollout;
    }

    private static int? PreviousOf(ServiceRecord service, RolloutRecord? latest, IReadOnlyList<ReleaseRecord> releases)
    {
        if (latest is { FromRelease: { } from } && latest.ToRelease == service.Release && from != service.Release)
        {
            return from;
        }

        return releases.Where(r => r.Number < service.Release).Select(r => (int?)r.Number).LastOrDefault();
    }
}
