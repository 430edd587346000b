using System.Globalization;
using Berth.Engine.Strategies;
using Berth.Routing;
using Berth.Spec;
using Berth.Store;

namespace Berth.Engine;

/// <summary>
/// Blue/green and canary: the new release runs as a second pool beside the stable one (the service's release) until
/// it is switched in (promoted) or thrown away (aborted). The stable pool is managed by the ordinary slot logic; this
/// part starts and stops the other pool's replicas, moves the router's weight, runs analysis and gates, and records
/// every decision with its numbers for the rollout report.
/// </summary>
public sealed partial class ServiceReconciler
{
    private static readonly TimeSpan SampleEvery = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan DefaultKpiWindow = TimeSpan.FromSeconds(10);

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
    private async Task<List<ReplicaRecord>> StopLeftoversAsync(ServiceRecord service, List<ReplicaRecord> replicas, IReadOnlyList<RolloutRecord> rollouts, CancellationToken cancellationToken)
    {
        var latest = rollouts.Count > 0 ? rollouts[^1] : null;
        var progressiveReleases = rollouts
            .Where(r => r.Strategy != StrategySpec.RollingKind)
            .SelectMany(r => r.FromRelease is { } from ? new[] { r.ToRelease, from } : [r.ToRelease])
            .ToHashSet();
        foreach (var replica in replicas.Where(r => r.IsLive && r.DesiredState == DesiredStates.Running).ToList())
        {
            var inUse = replica.Release == service.Release
                || (latest is { IsActive: true } && (replica.Release == latest.ToRelease || replica.Release == latest.FromRelease));
            if (!inUse && progressiveReleases.Contains(replica.Release))
            {
                replicas[replicas.IndexOf(replica)] = await StopReplicaAsync(service, replica, $"release {replica.Release} is no longer wanted (its rollout ended)", cancellationToken);
            }
        }

        return replicas;
    }

    /// <summary>One step of the blue/green or canary rollout; returns when to look again.</summary>
    private async Task<DateTimeOffset?> ProgressAsync(ServiceRecord service, SidePool pool, List<ReplicaRecord> side, int desired, CancellationToken cancellationToken)
    {
        var rollout = pool.Rollout;
        var candidate = await _store.GetReleaseAsync(service.Name, rollout.ToRelease, cancellationToken)
            ?? throw new InvalidDataException($"release {rollout.ToRelease} of {service.Name} is missing from the store");
        var run = new ProgressRun(rollout, candidate, _time.GetUtcNow());
        if (!pool.Switched && side.FirstOrDefault(r => r.State == ReplicaStates.Exited && r.DesiredState == DesiredStates.Running && r.CreatedAt >= rollout.StartedAt) is { } dead)
        {
            await AbortAsync(service, run, side,
                $"{dead.Id} (release {rollout.ToRelease}) exited ({(dead.ExitCode is { } code ? $"code {code}" : "status unknown")}){(dead.Message is null ? "" : ": " + dead.Message)}",
                new Dictionary<string, string> { ["replica"] = dead.Id, ["exit_code"] = dead.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "" },
                cancellationToken);
            await SaveRunAsync(run, cancellationToken);
            return run.Now;
        }

        if (rollout.State == RolloutStates.Paused)
        {
            await SampleAsync(service, run, force: false, cancellationToken);
            await SaveRunAsync(run, cancellationToken);
            return run.Now + SampleEvery;
        }

        DateTimeOffset? wake;
        if (pool.Switched)
        {
            wake = await AfterSwitchAsync(service, run, side, cancellationToken);
        }
        else
        {
            wake = rollout.Strategy == StrategySpec.CanaryKind
                ? await CanaryAsync(service, run, side, desired, cancellationToken)
                : await BlueGreenAsync(service, run, side, desired, cancellationToken);
        }

        if (run.Rollout.IsActive)
        {
            await SampleAsync(service, run, force: false, cancellationToken);
        }

        await SaveRunAsync(run, cancellationToken);
        var nextSample = run.Now + SampleEvery;
        return run.Rollout.IsActive && (wake is null || nextSample < wake) ? nextSample : wake;
    }

    private async Task<DateTimeOffset?> CanaryAsync(ServiceRecord service, ProgressRun run, List<ReplicaRecord> side, int desired, CancellationToken cancellationToken)
    {
        var canary = run.Strategy.Canary ?? new CanarySpec();
        for (var guard = 0; guard <= canary.Steps.Count + 2; guard++)
        {
            var progress = run.Progress;
            if (progress.Phase == RolloutPhases.ScalingUp || progress.Step >= canary.Steps.Count || progress.PromoteFull)
            {
                if (progress.Phase != RolloutPhases.ScalingUp)
                {
                    var why = progress.PromoteFull && progress.Step < canary.Steps.Count
                        ? $"promote --full: steps {progress.Step + 1}–{canary.Steps.Count} skipped"
                        : "all steps done";
                    run.Progress = progress with { Phase = RolloutPhases.ScalingUp, StepStartedAt = run.Now, ProgressedAt = run.Now };
                    await DecideAsync(service, run, null, "scaling_up", $"{why}: scaling release {run.Rollout.ToRelease} to {desired} replicas before it becomes stable", new() { ["replicas"] = Text(desired) }, cancellationToken);
                }

                var ready = await EnsureCandidatesAsync(service, run, side, desired, cancellationToken);
                if (ready < desired)
                {
                    return await WaitForReplicasAsync(service, run, side, ready, desired, canary.ProgressDeadline, cancellationToken);
                }

                await SwitchAsync(service, run, canary.ScaleDownDelay, cancellationToken);
                return run.Now;
            }

            // Background analysis runs from the first weight > 0 until promotion.
            if (canary.Analysis is { } background && progress.Weight > 0)
            {
                var (verdict, next) = await AnalyzeAsync(service, run, side, background, background: true, cancellationToken);
                if (verdict is not null)
                {
                    return run.Now;
                }

                run.BackgroundWake = next;
            }

            var step = canary.Steps[progress.Step];
            var label = $"step {progress.Step + 1}/{canary.Steps.Count}";
            if (progress.PromoteRequested)
            {
                run.Progress = run.Progress with { PromoteRequested = false };
                await FinishStepAsync(service, run, $"{label} ({Describe(step)}) ended by berth promote", cancellationToken);
                continue;
            }

            switch (step.Kind)
            {
                case CanaryStepSpec.WeightKind:
                {
                    var weight = step.Weight ?? 0;
                    var want = CanaryReplicas(Math.Max(weight, progress.Weight), desired, progress.FixedReplicas);
                    var ready = await EnsureCandidatesAsync(service, run, side, want, cancellationToken);
                    if (ready < want)
                    {
                        return Earliest(await WaitForReplicasAsync(service, run, side, ready, want, canary.ProgressDeadline, cancellationToken), run.BackgroundWake);
                    }

                    run.Progress = run.Progress with { Weight = weight, CandidateReplicas = want };
                    await DecideAsync(service, run, progress.Step, "weight", $"{label}: weight {weight} % to release {run.Rollout.ToRelease} ({want} replica{(want == 1 ? "" : "s")} ready)",
                        new() { ["weight"] = Text(weight), ["replicas"] = Text(want) }, cancellationToken);
                    await ApplyRouteAsync(service, cancellationToken);
                    await FinishStepAsync(service, run, null, cancellationToken);
                    continue;
                }

                case CanaryStepSpec.ReplicasKind:
                {
                    var want = step.Replicas ?? 0;
                    run.Progress = run.Progress with { FixedReplicas = want };
                    var ready = await EnsureCandidatesAsync(service, run, side, want, cancellationToken);
                    if (ready < want)
                    {
                        return Earliest(await WaitForReplicasAsync(service, run, side, ready, want, canary.ProgressDeadline, cancellationToken), run.BackgroundWake);
                    }

                    run.Progress = run.Progress with { CandidateReplicas = want };
                    await DecideAsync(service, run, progress.Step, "replicas", $"{label}: release {run.Rollout.ToRelease} fixed at {want} replicas", new() { ["replicas"] = Text(want) }, cancellationToken);
                    await FinishStepAsync(service, run, null, cancellationToken);
                    continue;
                }

                case CanaryStepSpec.MatchKind:
                {
                    run.Progress = run.Progress with { Match = step.Match };
                    await DecideAsync(service, run, progress.Step, "match", $"{label}: only requests with {Describe(step)} may reach release {run.Rollout.ToRelease}", new(), cancellationToken);
                    await ApplyRouteAsync(service, cancellationToken);
                    await FinishStepAsync(service, run, null, cancellationToken);
                    continue;
                }

                case CanaryStepSpec.PauseKind when step.Pause is null:
                {
                    await EnsureCandidatesAsync(service, run, side, CanaryReplicas(progress.Weight, desired, progress.FixedReplicas), cancellationToken);
                    await PauseAsync(service, run, progress.Step, $"{label}: paused until `berth promote {service.Name}`", RolloutPhases.AwaitingPromotion, cancellationToken);
                    return null;
                }

                case CanaryStepSpec.PauseKind:
                {
                    await EnsureCandidatesAsync(service, run, side, CanaryReplicas(progress.Weight, desired, progress.FixedReplicas), cancellationToken);
                    var end = progress.StepStartedAt + step.Pause!.Value;
                    if (run.Now < end)
                    {
                        return Earliest(end, run.BackgroundWake);
                    }

                    await FinishStepAsync(service, run, $"{label}: pause {DurationText.Format(step.Pause.Value)} over", cancellationToken);
                    continue;
                }

                case CanaryStepSpec.AnalysisKind:
                {
                    await EnsureCandidatesAsync(service, run, side, CanaryReplicas(progress.Weight, desired, progress.FixedReplicas), cancellationToken);
                    var analysis = step.Analysis ?? new AnalysisSpec();
                    var (verdict, next) = await AnalyzeAsync(service, run, side, analysis, background: false, cancellationToken);
                    if (verdict is AnalysisOutcome.Passed)
                    {
                        await FinishStepAsync(service, run, $"{label}: analysis passed ({run.Progress.StepAnalysis.Measurements} measurements)", cancellationToken);
                        continue;
                    }

                    return verdict is null ? Earliest(next, run.BackgroundWake) : run.Now;
                }

                default:
                    throw new InvalidDataException($"unknown canary step kind {step.Kind}");
            }
        }

        return run.Now;
    }

    private async Task<DateTimeOffset?> BlueGreenAsync(ServiceRecord service, ProgressRun run, List<ReplicaRecord> side, int desired, CancellationToken cancellationToken)
    {
        var blueGreen = run.Strategy.BlueGreen ?? new BlueGreenSpec();
        if (run.Progress.Phase == RolloutPhases.Starting)
        {
            var ready = await EnsureCandidatesAsync(service, run, side, desired, cancellationToken);
            if (ready < desired)
            {
                return await WaitForReplicasAsync(service, run, side, ready, desired, blueGreen.ProgressDeadline, cancellationToken);
            }

            run.Progress = run.Progress with { Phase = RolloutPhases.PrePromotion, CandidateReplicas = desired, StepStartedAt = run.Now, ProgressedAt = run.Now };
            var preview = blueGreen.PreviewPort is { } port ? $"preview on port {port}" : "no preview port";
            await DecideAsync(service, run, null, "green.ready", $"green (release {run.Rollout.ToRelease}) ready at full scale ({desired} replicas); {preview}; header {RouteSync.SettingsOf(run.Candidate.Spec).OverrideHeader}: green reaches it",
                new() { ["replicas"] = Text(desired) }, cancellationToken);
            await ApplyRouteAsync(service, cancellationToken);
        }

        await EnsureCandidatesAsync(service, run, side, desired, cancellationToken);
        if (run.Progress.Phase == RolloutPhases.PrePromotion && blueGreen.PrePromotion is { } gate)
        {
            if (gate.Smoke is { } smoke && !run.Progress.SmokePassed)
            {
                var result = _smoke.Poll(run.Rollout.Id, smoke, WorkingDirectoryOf(run.Candidate), SmokeEnvironment(service, run, side, blueGreen), gate.SmokeTimeout);
                if (result is null)
                {
                    return run.Now + TimeSpan.FromMilliseconds(500);
                }

                var data = new Dictionary<string, string> { ["command"] = smoke, ["exit_code"] = result.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "", ["output"] = result.Output };
                if (!result.Passed)
                {
                    await AbortAsync(service, run, side, $"pre-promotion gate: {result.Summary}{(result.Output.Length > 0 ? ": " + LastLine(result.Output) : "")}", data, cancellationToken);
                    return run.Now;
                }

                run.Progress = run.Progress with { SmokePassed = true };
                await DecideAsync(service, run, null, "gate.smoke", $"pre-promotion gate: {result.Summary}", data, cancellationToken);
            }

            if (gate.Analysis is { } analysis)
            {
                var (verdict, next) = await AnalyzeAsync(service, run, side, analysis, background: false, cancellationToken);
                if (verdict is not AnalysisOutcome.Passed)
                {
                    return verdict is null ? next : run.Now;
                }
            }
        }

        if (run.Progress.Phase == RolloutPhases.PrePromotion)
        {
            run.Progress = run.Progress with { Phase = RolloutPhases.AwaitingPromotion, StepStartedAt = run.Now, ProgressedAt = run.Now, StepAnalysis = new() };
        }

        if (!blueGreen.AutoPromote && !run.Progress.PromoteRequested)
        {
            // Also after `rollout resume`: only `berth promote` switches when auto_promote is off.
            var where = blueGreen.PreviewPort is { } port ? $"preview it on port {port}, then " : "";
            await PauseAsync(service, run, null, $"green (release {run.Rollout.ToRelease}) is ready: {where}switch with `berth promote {service.Name}`", RolloutPhases.AwaitingPromotion, cancellationToken);
            return null;
        }

        var why = run.Progress.PromoteRequested ? "berth promote" : "auto_promote";
        run.Progress = run.Progress with { PromoteRequested = false };
        await DecideAsync(service, run, null, "switch", $"switching to green (release {run.Rollout.ToRelease}) by {why}", new(), cancellationToken);
        await SwitchAsync(service, run, blueGreen.ScaleDownDelay, cancellationToken);
        return run.Now;
    }

    /// <summary>After the switch: post-promotion analysis (blue/green), then the old release is scaled down at scale_down_delay.</summary>
    private async Task<DateTimeOffset?> AfterSwitchAsync(ServiceRecord service, ProgressRun run, List<ReplicaRecord> old, CancellationToken cancellationToken)
    {
        DateTimeOffset? analysisWake = null;
        if (run.Strategy.BlueGreen?.PostPromotion?.Analysis is { } analysis)
        {
            var done = analysis.Count is { } count && run.Progress.StepAnalysis.Measurements >= count;
            if (!done)
            {
                var (verdict, next) = await AnalyzeAsync(service, run, old, analysis, background: false, cancellationToken);
                if (verdict is AnalysisOutcome.Failed or AnalysisOutcome.Inconclusive)
                {
                    return run.Now;
                }

                analysisWake = verdict is AnalysisOutcome.Passed ? null : next;
            }
        }

        var scaleDownAt = run.Progress.ScaleDownAt ?? run.Now;
        if (run.Now < scaleDownAt || analysisWake is not null)
        {
            return Earliest(analysisWake, run.Now < scaleDownAt ? scaleDownAt : null);
        }

        foreach (var replica in old.Where(r => r.IsLive).ToList())
        {
            old[old.IndexOf(replica)] = await StopReplicaAsync(service, replica, $"release {run.Rollout.ToRelease} promoted; scale_down_delay over", cancellationToken);
        }

        run.Progress = run.Progress with { Phase = RolloutPhases.Done };
        run.Rollout = run.Rollout with { State = RolloutStates.Completed, UpdatedAt = run.Now };
        await DecideAsync(service, run, null, "completed", $"release {run.Rollout.FromRelease} scaled down; rollout to release {run.Rollout.ToRelease} completed", new(), cancellationToken);
        await EventAsync("rollout.completed", service, null, $"{service.Name}: {run.Rollout.Strategy} rollout to release {run.Rollout.ToRelease} completed", cancellationToken);
        return null;
    }

    /// <summary>The new release becomes the service's release in one write; the router is switched in the same pass.</summary>
    private async Task SwitchAsync(ServiceRecord service, ProgressRun run, TimeSpan scaleDownDelay, CancellationToken cancellationToken)
    {
        run.Progress = run.Progress with
        {
            Phase = RolloutPhases.Promoted,
            Weight = 100,
            PromotedAt = run.Now,
            ScaleDownAt = run.Now + scaleDownDelay,
            ProgressedAt = run.Now,
            StepAnalysis = new(),
            PromoteRequested = false,
            PromoteFull = false,
        };
        run.Rollout = run.Rollout with { Progress = run.Progress, UpdatedAt = run.Now };
        await _store.WriteAsync(
            async tx =>
            {
                var current = await tx.GetServiceAsync(service.Name, cancellationToken) ?? service;
                await tx.UpsertServiceAsync(current with { Release = run.Rollout.ToRelease, UpdatedAt = run.Now }, cancellationToken);
                await tx.UpdateRolloutAsync(run.Rollout, cancellationToken);
                await tx.ClearRestartsAsync(service.Name, cancellationToken);
            },
            cancellationToken);
        await ApplyRouteAsync(service, cancellationToken);
        await DecideAsync(service, run, null, "promoted", $"release {run.Rollout.ToRelease} is now stable (100 % of traffic); release {run.Rollout.FromRelease} kept for {DurationText.Format(scaleDownDelay)}",
            new() { ["scale_down_delay"] = DurationText.Format(scaleDownDelay) }, cancellationToken);
        await EventAsync("rollout.promoted", service, null, $"{service.Name}: release {run.Rollout.ToRelease} promoted ({run.Rollout.Strategy})", cancellationToken);
    }

    /// <summary>
    /// Weight 0 at once (the router is switched before anything stops), then the new release's replicas are drained
    /// and stopped; after a switch, the service goes back to the old release first.
    /// </summary>
    private async Task AbortAsync(ServiceRecord service, ProgressRun run, List<ReplicaRecord> side, string reason, Dictionary<string, string> data, CancellationToken cancellationToken)
    {
        var flipBack = run.Progress.Phase == RolloutPhases.Promoted && run.Rollout.FromRelease is not null;
        run.Progress = run.Progress with { Weight = 0, Phase = RolloutPhases.Done };
        run.Rollout = run.Rollout with { State = RolloutStates.Aborted, Reason = reason, Progress = run.Progress, UpdatedAt = run.Now };
        await _store.WriteAsync(
            async tx =>
            {
                if (flipBack)
                {
                    var current = await tx.GetServiceAsync(service.Name, cancellationToken) ?? service;
                    await tx.UpsertServiceAsync(current with { Release = run.Rollout.FromRelease!.Value, UpdatedAt = run.Now }, cancellationToken);
                }

                await tx.UpdateRolloutAsync(run.Rollout, cancellationToken);
            },
            cancellationToken);
        await ApplyRouteAsync(service, cancellationToken);
        var what = flipBack ? $"traffic back on release {run.Rollout.FromRelease}" : "weight 0";
        await DecideAsync(service, run, run.Rollout.Strategy == StrategySpec.CanaryKind ? run.Progress.Step : null, "aborted", $"aborted ({what}): {reason}", data, cancellationToken);
        await EventAsync("rollout.aborted", service, null, $"{service.Name}: {run.Rollout.Strategy} rollout to release {run.Rollout.ToRelease} aborted ({what}): {reason}", cancellationToken);
        if (!flipBack)
        {
            foreach (var replica in side.Where(r => r.IsLive && r.DesiredState == DesiredStates.Running).ToList())
            {
                side[side.IndexOf(replica)] = await StopReplicaAsync(service, replica, $"rollout to release {run.Rollout.ToRelease} aborted", cancellationToken);
            }
        }
    }

    private async Task PauseAsync(ServiceRecord service, ProgressRun run, int? step, string reason, string phase, CancellationToken cancellationToken)
    {
        run.Progress = run.Progress with { Phase = phase };
        run.Rollout = run.Rollout with { State = RolloutStates.Paused, Reason = reason, UpdatedAt = run.Now };
        await DecideAsync(service, run, step, "paused", reason, new(), cancellationToken);
        await EventAsync("rollout.paused", service, null, $"{service.Name}: {reason}", cancellationToken);
    }

    /// <summary>
    /// Takes an analysis measurement when one is due. Returns the verdict when the analysis ended (passed its count,
    /// failed — the rollout is then aborted — or was inconclusive too often — the rollout is then paused), else null and
    /// when the next measurement is due.
    /// </summary>
    private async Task<(AnalysisOutcome? Verdict, DateTimeOffset Next)> AnalyzeAsync(ServiceRecord service, ProgressRun run, List<ReplicaRecord> side, AnalysisSpec analysis, bool background, CancellationToken cancellationToken)
    {
        var tally = background ? run.Progress.BackgroundAnalysis : run.Progress.StepAnalysis;
        if (tally.LastAt is null)
        {
            // The first interval starts now: traffic before it (e.g. at an earlier weight) does not count.
            tally = tally with { LastAt = run.Now };
            run.Progress = background ? run.Progress with { BackgroundAnalysis = tally } : run.Progress with { StepAnalysis = tally };
            return (null, run.Now + analysis.Interval);
        }

        var due = tally.LastAt.Value + analysis.Interval;
        if (run.Now < due)
        {
            return (null, due);
        }

        var newRelease = run.Rollout.ToRelease;
        var oldRelease = run.Rollout.FromRelease ?? service.Release;
        var measurement = AnalysisJudge.Judge(analysis, _metrics.ForRelease(service.Name, newRelease, analysis.Interval), _metrics.ForRelease(service.Name, oldRelease, analysis.Interval));
        tally = tally with
        {
            Measurements = tally.Measurements + 1,
            Failed = tally.Failed + (measurement.Outcome == AnalysisOutcome.Failed ? 1 : 0),
            Inconclusive = tally.Inconclusive + (measurement.Outcome == AnalysisOutcome.Inconclusive ? 1 : 0),
            LastAt = run.Now,
        };
        run.Progress = background ? run.Progress with { BackgroundAnalysis = tally } : run.Progress with { StepAnalysis = tally };
        var which = background ? "background analysis" : run.Progress.Phase == RolloutPhases.Promoted ? "post-promotion analysis" : "analysis";
        var step = run.Rollout.Strategy == StrategySpec.CanaryKind && run.Progress.Phase != RolloutPhases.Promoted ? run.Progress.Step : (int?)null;
        var data = new Dictionary<string, string>(measurement.Data(), StringComparer.Ordinal)
        {
            ["weight"] = Text(run.Progress.Weight),
            ["measurement"] = Text(tally.Measurements),
            ["window"] = DurationText.Format(analysis.Interval),
        };
        await DecideAsync(service, run, step, $"analysis.{measurement.Outcome.ToString().ToLowerInvariant()}", $"{which} #{tally.Measurements}: {measurement.Summary}", data, cancellationToken);
        await SampleAsync(service, run, force: true, cancellationToken);

        if (tally.Failed > analysis.FailureLimit)
        {
            await AbortAsync(service, run, side, $"{which} failed {tally.Failed} time(s) (failure_limit {analysis.FailureLimit}): {measurement.Summary}", data, cancellationToken);
            return (AnalysisOutcome.Failed, run.Now);
        }

        if (tally.Inconclusive > analysis.InconclusiveLimit)
        {
            // The counts restart so `berth rollout resume` measures again; `berth promote` skips the analysis.
            tally = tally with { Inconclusive = 0, LastAt = null };
            run.Progress = background ? run.Progress with { BackgroundAnalysis = tally } : run.Progress with { StepAnalysis = tally };
            await PauseAsync(service, run, step, $"{which} inconclusive {analysis.InconclusiveLimit + 1} time(s) (inconclusive_limit {analysis.InconclusiveLimit}): {measurement.Summary}; resume to measure again or promote to go on", run.Progress.Phase, cancellationToken);
            return (AnalysisOutcome.Inconclusive, run.Now);
        }

        if (!background && analysis.Count is { } count && tally.Measurements - tally.Inconclusive >= count && tally.Measurements >= count)
        {
            return (AnalysisOutcome.Passed, run.Now);
        }

        return (null, run.Now + analysis.Interval);
    }

    /// <summary>Starts the new release's replicas in slots 1..want, stops those above; returns how many of 1..want are ready.</summary>
    private async Task<int> EnsureCandidatesAsync(ServiceRecord service, ProgressRun run, List<ReplicaRecord> side, int want, CancellationToken cancellationToken)
    {
        var live = side.Where(r => r.IsLive && r.DesiredState == DesiredStates.Running).ToList();
        foreach (var extra in live.Where(r => r.Slot > want).OrderByDescending(r => r.Slot))
        {
            side[side.IndexOf(extra)] = await StopReplicaAsync(service, extra, $"release {run.Rollout.ToRelease} scaled to {want}", cancellationToken);
        }

        for (var slot = 1; slot <= want; slot++)
        {
            if (!live.Any(r => r.Slot == slot))
            {
                side.Add(await StartReplicaAsync(service, run.Candidate, slot, restart: false, cancellationToken));
            }
        }

        if (run.Progress.Phase != RolloutPhases.Promoted)
        {
            run.Progress = run.Progress with { CandidateReplicas = want };
        }

        return side.Count(r => r.IsLive && r.DesiredState == DesiredStates.Running && r.Slot <= want && r.IsReady());
    }

    private async Task<DateTimeOffset?> WaitForReplicasAsync(ServiceRecord service, ProgressRun run, List<ReplicaRecord> side, int ready, int want, TimeSpan deadline, CancellationToken cancellationToken)
    {
        if (run.Now - run.Progress.ProgressedAt > deadline)
        {
            await AbortAsync(service, run, side, $"progress_deadline {DurationText.Format(deadline)} passed: {ready}/{want} replicas of release {run.Rollout.ToRelease} ready",
                new() { ["ready"] = Text(ready), ["wanted"] = Text(want) }, cancellationToken);
            return run.Now;
        }

        return Earliest(run.Now + TimeSpan.FromSeconds(1), run.Progress.ProgressedAt + deadline);
    }

    private async Task FinishStepAsync(ServiceRecord service, ProgressRun run, string? message, CancellationToken cancellationToken)
    {
        var finished = run.Progress.Step;
        run.Progress = run.Progress with
        {
            Step = finished + 1,
            Phase = RolloutPhases.Stepping,
            StepStartedAt = run.Now,
            ProgressedAt = run.Now,
            StepAnalysis = new(),
        };
        if (message is not null)
        {
            await DecideAsync(service, run, finished, "step.done", message, new(), cancellationToken);
        }
    }

    /// <summary>Writes both releases' KPIs for the report's charts, every few seconds (or now, after a measurement).</summary>
    private async Task SampleAsync(ServiceRecord service, ProgressRun run, bool force, CancellationToken cancellationToken)
    {
        if (!force && run.Progress.LastSampleAt is { } last && run.Now - last < SampleEvery)
        {
            return;
        }

        var window = WindowOf(run);
        var samples = new List<RolloutSampleRecord>();
        foreach (var (release, role) in new[] { (run.Rollout.FromRelease ?? service.Release, "stable"), (run.Rollout.ToRelease, "candidate") })
        {
            var kpis = _metrics.ForRelease(service.Name, release, window);
            samples.Add(new RolloutSampleRecord
            {
                RolloutId = run.Rollout.Id,
                At = run.Now,
                Release = release,
                Role = role,
                Weight = run.Progress.Weight,
                WindowSeconds = window.TotalSeconds,
                Requests = kpis.Requests,
                ErrorRate = kpis.ErrorRate,
                P50Ms = kpis.P50Ms,
                P95Ms = kpis.P95Ms,
                P99Ms = kpis.P99Ms,
            });
        }

        run.Progress = run.Progress with { LastSampleAt = run.Now };
        await _store.WriteAsync(
            async tx =>
            {
                foreach (var sample in samples)
                {
                    await tx.AddRolloutSampleAsync(sample, cancellationToken);
                }
            },
            cancellationToken);
    }

    private static TimeSpan WindowOf(ProgressRun run)
    {
        var canary = run.Strategy.Canary;
        var step = canary is not null && run.Progress.Step < canary.Steps.Count ? canary.Steps[run.Progress.Step] : null;
        return step?.Analysis?.Interval ?? canary?.Analysis?.Interval
            ?? run.Strategy.BlueGreen?.PrePromotion?.Analysis?.Interval ?? run.Strategy.BlueGreen?.PostPromotion?.Analysis?.Interval
            ?? DefaultKpiWindow;
    }

    private async Task DecideAsync(ServiceRecord service, ProgressRun run, int? step, string kind, string message, Dictionary<string, string> data, CancellationToken cancellationToken)
    {
        await _store.WriteAsync(
            tx => tx.AddRolloutDecisionAsync(new RolloutDecisionRecord { RolloutId = run.Rollout.Id, At = run.Now, Step = step, Kind = kind, Message = message, Data = data }, cancellationToken),
            cancellationToken);
        if (kind is not ("paused" or "aborted" or "promoted" or "completed"))
        {
            await EventAsync($"rollout.{kind}", service, null, $"{service.Name}: {message}", cancellationToken);
        }
    }

    private Task SaveRunAsync(ProgressRun run, CancellationToken cancellationToken) =>
        _store.WriteAsync(
            async tx =>
            {
                // A command (promote, abort, pause) may have changed the rollout since this pass read it: theirs wins on the
                // state. "Since it read it", not "since the pass started": the pass reads the rollout well before it starts
                // deciding, and a promote landing in between must not be undone. This pass's own writes carry run.Now.
                var stored = await tx.GetRolloutAsync(run.Rollout.Id, cancellationToken);
                var mine = run.Rollout with { Progress = run.Progress, UpdatedAt = run.Now };
                var changedByOthers = stored is not null && stored.UpdatedAt != run.Original.UpdatedAt && stored.UpdatedAt != run.Now;
                if (changedByOthers && stored!.State != run.Original.State)
                {
                    mine = mine with { State = stored.State, Reason = stored.Reason };
                }

                if (stored?.Progress is { } theirs && (theirs.PromoteRequested || theirs.PromoteFull) && !(run.Original.Progress?.PromoteRequested ?? false) && !(run.Original.Progress?.PromoteFull ?? false))
                {
                    mine = mine with { Progress = mine.Progress! with { PromoteRequested = theirs.PromoteRequested || mine.Progress!.PromoteRequested, PromoteFull = theirs.PromoteFull || mine.Progress!.PromoteFull } };
                }

                await tx.UpdateRolloutAsync(mine, cancellationToken);
            },
            cancellationToken);

    /// <summary>Applies the route the store describes now (used before any replica stops, and right after a weight change).</summary>
    private async Task ApplyRouteAsync(ServiceRecord service, CancellationToken cancellationToken)
    {
        var current = await _store.GetServiceAsync(service.Name, cancellationToken) ?? service;
        var release = await _store.GetReleaseAsync(current.Name, current.Release, cancellationToken);
        if (release is null || current.Removing)
        {
            return;
        }

        var latest = await _store.ReadAsync(tx => tx.GetLatestRolloutAsync(current.Name, cancellationToken), cancellationToken);
        var candidate = latest is { Strategy: not StrategySpec.RollingKind } && latest.ToRelease != current.Release
            ? await _store.GetReleaseAsync(current.Name, latest.ToRelease, cancellationToken)
            : null;
        await _routes.ApplyAsync(current, _routes.Build(current, release, await _store.GetReplicasAsync(current.Name, cancellationToken), latest, candidate), cancellationToken);
    }

    private Dictionary<string, string> SmokeEnvironment(ServiceRecord service, ProgressRun run, List<ReplicaRecord> side, BlueGreenSpec blueGreen)
    {
        var settings = RouteSync.SettingsOf(run.Candidate.Spec);
        var host = run.Candidate.Spec.Ports.FirstOrDefault(p => p.Published is not null)?.HostIp ?? _routes.BindAddress;
        var previewUrl = blueGreen.PreviewPort is { } port
            ? $"http://{host}:{port}"
            : side.FirstOrDefault(r => r.IsReady() && r.Endpoint is not null)?.Endpoint is { } endpoint ? $"http://{endpoint}" : "";
        return new Dictionary<string, string>
        {
            ["BERTH_PREVIEW_URL"] = previewUrl,
            ["BERTH_SERVICE"] = service.Name,
            ["BERTH_RELEASE"] = Text(run.Rollout.ToRelease),
            ["BERTH_OVERRIDE_HEADER"] = settings.OverrideHeader,
        };
    }

    private static string WorkingDirectoryOf(ReleaseRecord release) =>
        release.Spec.Berth.Process?.WorkingDir ?? Path.GetTempPath();

    /// <summary>Canary replicas for a weight: the share of the desired count, rounded up, at least one while the weight is above 0.</summary>
    internal static int CanaryReplicas(int weight, int desired, int? fixedReplicas) =>
        fixedReplicas ?? (weight <= 0 ? 0 : Math.Clamp((int)Math.Ceiling(desired * weight / 100.0), 1, Math.Max(desired, 1)));

    internal static string Describe(CanaryStepSpec step) => step.Kind switch
    {
        CanaryStepSpec.WeightKind => $"weight {step.Weight}",
        CanaryStepSpec.PauseKind => step.Pause is { } pause ? $"pause {DurationText.Format(pause)}" : "pause (until promote)",
        CanaryStepSpec.AnalysisKind => step.Analysis is { Count: { } count } a ? $"analysis ({count} × {DurationText.Format(a.Interval)})" : "analysis",
        CanaryStepSpec.ReplicasKind => $"replicas {step.Replicas}",
        CanaryStepSpec.MatchKind => step.Match is { Header: { } header } m ? $"header {header}={m.Value}" : $"cookie {step.Match?.Cookie}={step.Match?.Value}",
        _ => step.Kind,
    };

    private static string LastLine(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "";

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a < b ? a : b;

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>One pass's working copy of a rollout: what it started from, and what it has decided so far.</summary>
    private sealed class ProgressRun
    {
        public ProgressRun(RolloutRecord rollout, ReleaseRecord candidate, DateTimeOffset now)
        {
            Original = rollout;
            Rollout = rollout;
            Candidate = candidate;
            Now = now;
            Progress = rollout.Progress ?? new RolloutProgress { StepStartedAt = rollout.StartedAt, ProgressedAt = rollout.StartedAt };
        }

        public RolloutRecord Original { get; }
        public RolloutRecord Rollout { get; set; }
        public RolloutProgress Progress { get; set; }
        public ReleaseRecord Candidate { get; }
        public StrategySpec Strategy => Candidate.Spec.Berth.Strategy;
        public DateTimeOffset Now { get; }
        public DateTimeOffset? BackgroundWake { get; set; }
    }
}
