using Berth.Api;
using Berth.Engine;
using Berth.Engine.Events;
using Berth.Engine.Rolling;
using Berth.Spec;
using Berth.Store;

namespace Berth.Deployments;

/// <summary>
/// `rollout pause|resume|retry`, `rollback [--to N]`, `promote [--full]` and `abort`: each checks first, then writes
/// one transaction (with a timeline entry naming who asked, <c>by</c>: the caller's token name), then carries it to the
/// routers at once through <see cref="ImmediatePass"/> (the engine's next pass moves the replicas); without one (tests
/// that drive passes by hand) it only wakes the engine.
/// </summary>
public sealed class RolloutCommands
{
    private readonly BerthStore _store;
    private readonly EventLog _events;
    private readonly ReconcileQueue _queue;
    private readonly TimeProvider _time;
    private readonly Artifacts.ArtifactStore? _artifacts;
    private readonly ImmediatePass? _immediate;

    public RolloutCommands(BerthStore store, EventLog events, ReconcileQueue queue, TimeProvider time, Artifacts.ArtifactStore? artifacts = null, ImmediatePass? immediate = null)
    {
        _artifacts = artifacts;
        _immediate = immediate;
        _store = store;
        _events = events;
        _queue = queue;
        _time = time;
    }

    public Task<RolloutRecord> PauseAsync(string service, string? by, CancellationToken cancellationToken) =>
        ChangeAsync(service, r => r.State is RolloutStates.Updating or RolloutStates.RollingBack, RolloutStates.Paused, $"paused {By(by)}", "pause", by, cancellationToken);

    public Task<RolloutRecord> ResumeAsync(string service, string? by, CancellationToken cancellationToken) =>
        ChangeAsync(service, r => r.State == RolloutStates.Paused, null, null, "resume", by, cancellationToken);

    /// <summary>"by alice", or "by request" when the caller is not known (a server without authentication in tests).</summary>
    private static string By(string? by) => $"by {by ?? "request"}";

    /// <summary>"requested by alice", or "requested".</summary>
    private static string Requested(string? by) => by is null ? "requested" : $"requested by {by}";

    private static Dictionary<string, string> Who(string? by) => by is null ? [] : new Dictionary<string, string> { ["by"] = by };

    private async Task<RolloutRecord> ChangeAsync(string service, Func<RolloutRecord, bool> allowed, string? state, string? reason, string verb, string? by, CancellationToken cancellationToken)
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
                var done = state is null ? RolloutDecisionKinds.Resumed : RolloutDecisionKinds.Paused;
                await tx.AddRolloutDecisionAsync(
                    new RolloutDecisionRecord { RolloutId = latest.Id, At = next.UpdatedAt, Step = latest.Progress?.Step, Kind = done, Message = $"{done} {By(by)}", Data = Who(by) },
                    cancellationToken);
                var entry = await _events.AppendAsync(tx, $"rollout.{done}", owner.Stack, service, null, $"{service}: rollout #{latest.Id} {done} {By(by)}", cancellationToken);
                return (next, entry);
            },
            cancellationToken);
        _events.Publish(entry);
        await WakeAsync(service, cancellationToken);
        return rollout;
    }

    /// <summary>
    /// `berth promote`: asks the engine to take the blue/green or canary rollout's next move now (a waiting pause or
    /// gate ends; with <paramref name="full"/>, every remaining step and analysis is skipped). The engine does the move.
    /// </summary>
    public Task<RolloutRecord> PromoteAsync(string service, bool full, string? by, CancellationToken cancellationToken) =>
        SteerAsync(
            service,
            latest => $"service {service} has no blue/green or canary rollout waiting: its latest rollout #{latest.Id} {WhyNotSteerable(latest)}",
            latest =>
            {
                var progress = (latest.Progress ?? new RolloutProgress()) with { PromoteRequested = true, PromoteFull = latest.Progress?.PromoteFull == true || full };
                return latest with
                {
                    Progress = progress,
                    State = latest.State == RolloutStates.Paused ? RolloutStates.Updating : latest.State,
                    Reason = latest.State == RolloutStates.Paused ? null : latest.Reason,
                };
            },
            latest => (
                RolloutDecisionKinds.PromoteRequested,
                full ? $"full promotion {Requested(by)}: every remaining step and analysis is skipped" : $"promotion {Requested(by)}",
                "rollout.promote_requested",
                $"{service}: {(full ? "full promotion" : "promotion")} of rollout #{latest.Id} (release {latest.ToRelease}) {Requested(by)}"),
            by,
            cancellationToken);

    /// <summary>`berth abort`: stops the blue/green or canary rollout; the engine sends weight 0 to the new release and removes it.</summary>
    public Task<RolloutRecord> AbortAsync(string service, string? by, CancellationToken cancellationToken) =>
        SteerAsync(
            service,
            latest => $"nothing to abort: rollout #{latest.Id} of {service} {WhyNotSteerable(latest)}",
            latest => latest with { State = RolloutStates.Aborted, Reason = $"aborted {By(by)}" },
            latest => (
                RolloutDecisionKinds.Aborted,
                $"aborted {By(by)}",
                "rollout.aborted",
                $"{service}: rollout #{latest.Id} to release {latest.ToRelease} aborted {By(by)}"),
            by,
            cancellationToken);

    private static bool IsSteerable(RolloutRecord rollout) =>
        rollout.IsActive && rollout.Strategy is StrategySpec.BlueGreenKind or StrategySpec.CanaryKind;

    private static string WhyNotSteerable(RolloutRecord rollout) =>
        rollout.IsActive ? "is a rolling update" : $"is {rollout.State}";

    private async Task<RolloutRecord> SteerAsync(
        string service,
        Func<RolloutRecord, string> conflict,
        Func<RolloutRecord, RolloutRecord> change,
        Func<RolloutRecord, (string Decision, string DecisionMessage, string EventKind, string EventMessage)> describe,
        string? by,
        CancellationToken cancellationToken)
    {
        var (rollout, entry) = await _store.WriteAsync(
            async tx =>
            {
                var owner = await tx.GetServiceAsync(service, cancellationToken) ?? throw ProblemException.NotFound($"no service named {service}");
                var latest = await tx.GetLatestRolloutAsync(service, cancellationToken)
                    ?? throw ProblemException.Conflict($"service {service} has had no rollout yet: nothing to steer");
                if (!IsSteerable(latest))
                {
                    throw ProblemException.Conflict(conflict(latest));
                }

                var now = _time.GetUtcNow();
                var next = change(latest) with { UpdatedAt = now };
                var (decision, decisionMessage, eventKind, eventMessage) = describe(latest);
                await tx.UpdateRolloutAsync(next, cancellationToken);
                if (next.State == RolloutStates.Aborted && latest.Progress?.Phase == RolloutPhases.Promoted && latest.FromRelease is { } from)
                {
                    // Aborted after the switch: the old release (still up until scale_down_delay) becomes the service's release again.
                    await tx.UpsertServiceAsync(owner with { Release = from, UpdatedAt = now }, cancellationToken);
                }

                await tx.AddRolloutDecisionAsync(
                    new RolloutDecisionRecord { RolloutId = latest.Id, At = now, Step = latest.Progress?.Step, Kind = decision, Message = decisionMessage, Data = Who(by) },
                    cancellationToken);
                var entry = await _events.AppendAsync(tx, eventKind, owner.Stack, service, null, eventMessage, cancellationToken);
                return (next, entry);
            },
            cancellationToken);
        _events.Publish(entry);
        await WakeAsync(service, cancellationToken);
        return rollout;
    }

    /// <summary>Rolls back to <paramref name="toRelease"/> (any earlier release; default the one before the current).</summary>
    public async Task<RolloutRecord> RollbackAsync(string service, int? toRelease, string? by, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var (rollout, entry) = await _store.WriteAsync(
            async tx =>
            {
                var owner = await tx.GetServiceAsync(service, cancellationToken) ?? throw ProblemException.NotFound($"no service named {service}");
                var releases = await tx.GetReleasesAsync(service, cancellationToken);
                var latest = await tx.GetLatestRolloutAsync(service, cancellationToken);
                if (toRelease is null && latest is { IsActive: true } && IsSteerable(latest) && latest.ToRelease != owner.Release)
                {
                    // A blue/green or canary rollout before its switch: the service still runs its release, so rolling
                    // back means throwing the new one away (weight 0, replicas removed), as `berth abort` does.
                    var aborted = latest with { State = RolloutStates.Aborted, Reason = $"rolled back {By(by)}", UpdatedAt = now };
                    await tx.UpdateRolloutAsync(aborted, cancellationToken);
                    await tx.AddRolloutDecisionAsync(
                        new RolloutDecisionRecord { RolloutId = latest.Id, At = now, Step = latest.Progress?.Step, Kind = RolloutDecisionKinds.Aborted, Message = $"rolled back {By(by)}", Data = Who(by) },
                        cancellationToken);
                    var abortEntry = await _events.AppendAsync(tx, "rollout.aborted", owner.Stack, service, null,
                        $"{service}: {latest.Strategy} rollout #{latest.Id} to release {latest.ToRelease} aborted by a rollback {By(by)}; release {owner.Release} keeps serving", cancellationToken);
                    return (aborted, abortEntry);
                }

                if (latest is { IsActive: true, Progress.Phase: RolloutPhases.Promoted, FromRelease: { } from } && IsSteerable(latest)
                    && latest.ToRelease == owner.Release && (toRelease is null || toRelease == from)
                    && releases.Any(r => r.Number == from))
                {
                    // Switched, and the old release still runs (until scale_down_delay): rolling back is the switch
                    // reversed — traffic on it again at once, the new release's replicas removed — as Argo Rollouts'
                    // undo to a ReplicaSet still scaled up. Not a rolling update of replicas that are already there.
                    var message = $"rolled back {By(by)}: traffic back on release {from}, still running since the switch to release {latest.ToRelease}";
                    var flipped = latest with { State = RolloutStates.Aborted, Reason = message, UpdatedAt = now };
                    await tx.UpdateRolloutAsync(flipped, cancellationToken);
                    await tx.UpsertServiceAsync(owner with { Release = from, UpdatedAt = now }, cancellationToken);
                    await tx.AddRolloutDecisionAsync(
                        new RolloutDecisionRecord { RolloutId = latest.Id, At = now, Step = latest.Progress?.Step, Kind = RolloutDecisionKinds.Aborted, Message = message, Data = Who(by) },
                        cancellationToken);
                    var flipEntry = await _events.AppendAsync(tx, "rollout.aborted", owner.Stack, service, null,
                        $"{service}: {latest.Strategy} rollout #{latest.Id} {message}; release {latest.ToRelease}'s replicas are removed", cancellationToken);
                    return (flipped, flipEntry);
                }

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

                EnsureArtifact(service, release);

                if (latest is { IsActive: true })
                {
                    await tx.UpdateRolloutAsync(latest with { State = RolloutStates.Superseded, Reason = "replaced by a rollback", UpdatedAt = now }, cancellationToken);
                    await tx.AddRolloutDecisionAsync(
                        new RolloutDecisionRecord
                        {
                            RolloutId = latest.Id, At = now, Step = latest.Progress?.Step, Kind = RolloutDecisionKinds.Superseded,
                            Message = $"replaced by a rollback to release {release.Number} {By(by)}", Data = Who(by),
                        },
                        cancellationToken);
                }

                var current = releases.First(r => r.Number == owner.Release);
                await tx.UpsertServiceAsync(owner with { Release = release.Number, UpdatedAt = now }, cancellationToken);
                await tx.ClearRestartsAsync(service, cancellationToken);
                var rollout = await tx.InsertRolloutAsync(RolloutLedger.New(service, "rollback", owner.Release, release.Number, current.Spec.Deploy.RollbackConfig, now) with { Reason = $"rollback {Requested(by)}" }, cancellationToken);
                var entry = await _events.AppendAsync(tx, "rollout.started", owner.Stack, service, null, RolloutLedger.Describe(rollout), cancellationToken);
                return (rollout, entry);
            },
            cancellationToken);
        _events.Publish(entry);
        await WakeAsync(service, cancellationToken);
        return rollout;
    }

    /// <summary>
    /// `berth rollout retry`: an aborted blue/green or canary rollout starts again from its first step (as Argo
    /// Rollouts' retry), as a new rollout from the service's release to the same new release; the aborted one stays in
    /// the history with its report.
    /// </summary>
    public async Task<RolloutRecord> RetryAsync(string service, string? by, CancellationToken cancellationToken)
    {
        var (rollout, entry) = await _store.WriteAsync(
            async tx =>
            {
                var owner = await tx.GetServiceAsync(service, cancellationToken) ?? throw ProblemException.NotFound($"no service named {service}");
                var latest = await tx.GetLatestRolloutAsync(service, cancellationToken)
                    ?? throw ProblemException.Conflict($"service {service} has had no rollout yet: nothing to retry");
                if (latest.State != RolloutStates.Aborted || latest.Strategy == StrategySpec.RollingKind)
                {
                    throw ProblemException.Conflict(
                        $"nothing to retry: the latest rollout of {service} (#{latest.Id}, {latest.Strategy} to release {latest.ToRelease}) is {latest.State}; only an aborted blue/green or canary rollout can be retried");
                }

                if (latest.ToRelease == owner.Release)
                {
                    throw ProblemException.Conflict($"service {service} already runs release {latest.ToRelease}: nothing to retry");
                }

                var target = await tx.GetReleaseAsync(service, latest.ToRelease, cancellationToken)
                    ?? throw ProblemException.Conflict($"release {latest.ToRelease} of {service} is gone: deploy it again");
                EnsureArtifact(service, target);
                var now = _time.GetUtcNow();
                var retried = await tx.InsertRolloutAsync(
                    RolloutLedger.New(service, "update", owner.Release, latest.ToRelease, target.Spec.Deploy.UpdateConfig, now) with
                    {
                        Strategy = latest.Strategy,
                        Progress = new RolloutProgress { StepStartedAt = now, ProgressedAt = now },
                    },
                    cancellationToken);
                await tx.AddRolloutDecisionAsync(
                    new RolloutDecisionRecord
                    {
                        RolloutId = retried.Id, At = now, Kind = RolloutDecisionKinds.Retried,
                        Message = $"retry of rollout #{latest.Id} (aborted: {latest.Reason}) {By(by)}", Data = new Dictionary<string, string>(Who(by)) { ["retry_of"] = latest.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                    },
                    cancellationToken);
                var entry = await _events.AppendAsync(tx, "rollout.retried", owner.Stack, service, null,
                    $"{service}: {latest.Strategy} rollout to release {latest.ToRelease} retried {By(by)} (rollout #{retried.Id}, after #{latest.Id} aborted)", cancellationToken);
                return (retried, entry);
            },
            cancellationToken);
        _events.Publish(entry);
        await WakeAsync(service, cancellationToken);
        return rollout;
    }

    /// <summary>The command's write reaches the routers now (<see cref="ImmediatePass"/>), or the engine is woken.</summary>
    private Task WakeAsync(string service, CancellationToken cancellationToken)
    {
        if (_immediate is null)
        {
            _queue.Enqueue(service);
            return Task.CompletedTask;
        }

        return _immediate.RunAsync(service, cancellationToken);
    }

    /// <summary>
    /// A release that runs from a process artifact can start replicas only while the server has it: when it is gone
    /// (a data folder restored without its artifacts, files removed by hand), going back to it is refused before
    /// anything changes, never a replica started in the wrong files.
    /// </summary>
    private void EnsureArtifact(string service, ReleaseRecord release)
    {
        if (_artifacts is not null && release.Spec.Berth.Process?.ArtifactDigest is { } digest && !_artifacts.Has(digest))
        {
            throw ProblemException.Conflict(
                $"release {release.Number} of {service} runs artifact {digest}, which the server no longer has ({_artifacts.Folder}): nothing was changed; " +
                "deploy that version again (berth deploy builds and uploads its artifact) or choose another release");
        }
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
