using System.Globalization;
using Berth.Spec;
using Berth.Store;
using States = Berth.Store.EnvironmentDeploymentStates;

namespace Berth.Pipeline;

/// <summary>
/// Decides a stack's next pipeline steps, environment by environment, with no I/O: a deploying release whose rollouts
/// completed starts its gates (or succeeds when it has none), a rollout that stopped short fails it; gates pass or fail
/// with their numbers, or time out; one release at a time owns an environment (the newest queued one, older queued ones
/// are superseded); a release that succeeded in an environment enters the next one, queued when its entry is
/// <c>auto</c> (continuous deployment) or waiting for approval when <c>manual</c> (continuous delivery), superseding an
/// older release still waiting there. Rollbacks never move on.
/// </summary>
public static class PipelinePlanner
{
    public static PipelinePlan Plan(PipelineSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var steps = new List<PipelineStep>();
        for (var i = 0; i < snapshot.Environments.Count; i++)
        {
            var environment = snapshot.Environments[i];
            var here = snapshot.Deployments.Where(d => d.Environment == environment.Name).ToList();
            var running = here.LastOrDefault(d => States.IsRunning(d.State));
            if (running is not null)
            {
                var advanced = Advance(running, environment, snapshot, steps);
                here = here.Select(d => d.Id == advanced.Id ? advanced : d).ToList();
                if (States.IsRunning(advanced.State))
                {
                    continue;
                }
            }
            else
            {
                StartNext(here, environment, snapshot.Now, steps);
            }

            if (i + 1 < snapshot.Environments.Count)
            {
                var next = snapshot.Environments[i + 1];
                Promote(snapshot, here, environment, next, steps);
            }
        }

        return steps.Count == 0 ? PipelinePlan.Nothing : new PipelinePlan(steps);
    }

    /// <summary>A deploying or verifying release: its rollout's outcome, then its gates.</summary>
    private static EnvironmentDeploymentRecord Advance(
        EnvironmentDeploymentRecord d, EnvironmentSpec environment, PipelineSnapshot snapshot, List<PipelineStep> steps)
    {
        var now = snapshot.Now;
        var observation = snapshot.Observations.GetValueOrDefault(d.Id);
        if (observation?.Failure is { } failure)
        {
            return Record(steps, d with { State = States.Failed, Reason = failure, StateSince = now }, PipelineEvents.Failed,
                $"release {d.Release} failed in {d.Environment}: {failure}");
        }

        if (d.State == States.Deploying)
        {
            if (observation is not { Converged: true })
            {
                return d;
            }

            if (environment.Gates.IsEmpty || d.Kind == EnvironmentDeploymentKinds.Rollback)
            {
                return Record(steps, d with { State = States.Succeeded, StateSince = now, Reason = null }, PipelineEvents.Succeeded,
                    $"release {d.Release} runs in {d.Environment}{(d.Kind == EnvironmentDeploymentKinds.Rollback ? " (rollback)" : "")}");
            }

            return Record(steps, d with { State = States.Verifying, StateSince = now }, PipelineEvents.Verifying,
                $"release {d.Release} rolled out in {d.Environment}; checking its gates ({GateList(environment.Gates)})");
        }

        return Verify(d, environment.Gates, observation, snapshot.Smokes.GetValueOrDefault(d.Id), snapshot.Analyses.GetValueOrDefault(d.Id), now, steps);
    }

    private static EnvironmentDeploymentRecord Verify(
        EnvironmentDeploymentRecord d, GatesSpec gates, StackObservation? observation, SmokeObservation? smoke, AnalysisObservation? analysis,
        DateTimeOffset now, List<PipelineStep> steps)
    {
        var elapsed = now - d.StateSince;
        var results = d.Gates.ToList();
        bool Has(string gate) => results.Any(g => g.Gate == gate);
        EnvironmentDeploymentRecord Fail(string gate, string message)
        {
            results.Add(new GateResult(gate, false, message, now));
            var failed = d with { State = States.Failed, Reason = $"gate {gate}: {message}", StateSince = now, Gates = results };
            steps.Add(new RecordDeployment(failed, PipelineEvents.GateFailed, $"release {d.Release} failed {d.Environment}'s {gate} gate: {message}"));
            return failed;
        }

        if (gates.HealthyFor is { } healthyFor && !Has(GateNames.Healthy))
        {
            if (observation is not { Healthy: true })
            {
                return Fail(GateNames.Healthy, $"not healthy {Seconds(elapsed)} into healthy_for {Seconds(healthyFor)}: {observation?.Detail ?? "no observation"}");
            }

            if (elapsed >= healthyFor)
            {
                results.Add(new GateResult(GateNames.Healthy, true, $"every service healthy for {Seconds(healthyFor)}", now));
                steps.Add(new RecordDeployment(d with { Gates = results.ToList() }, PipelineEvents.GatePassed,
                    $"release {d.Release} passed {d.Environment}'s healthy gate ({Seconds(healthyFor)})"));
            }
        }

        if (gates.Smoke is { } smokeGate && !Has(GateNames.Smoke))
        {
            if (smoke is null)
            {
                steps.Add(new StartSmoke(d));
            }
            else if (smoke.Finished && smoke.ExitCode == 0)
            {
                results.Add(new GateResult(GateNames.Smoke, true, $"exit code 0 in {Seconds(smoke.Elapsed)}", now));
                steps.Add(new RecordDeployment(d with { Gates = results.ToList() }, PipelineEvents.GatePassed,
                    $"release {d.Release} passed {d.Environment}'s smoke gate ({Seconds(smoke.Elapsed)})"));
            }
            else if (smoke.Finished)
            {
                var how = smoke.ExitCode is { } code ? $"exit code {code}" : $"killed after its smoke_timeout ({Seconds(gates.SmokeTimeout)})";
                var tail = string.IsNullOrWhiteSpace(smoke.OutputTail) ? "" : $"; output: {smoke.OutputTail.Trim()}";
                return Fail(GateNames.Smoke, $"{smokeGate}: {how} after {Seconds(smoke.Elapsed)}{tail}");
            }
        }

        if (gates.Analysis is { } analysisGate && !Has(GateNames.Analysis))
        {
            if (analysis is null)
            {
                steps.Add(new StartAnalysis(d));
            }
            else if (analysis.Failure is { } failure)
            {
                return Fail(GateNames.Analysis, failure);
            }
            else if (analysis.Passed >= (analysisGate.Count ?? 1))
            {
                results.Add(new GateResult(GateNames.Analysis, true, $"{analysis.Passed} measurements passed ({analysis.Inconclusive} inconclusive); last: {analysis.LastSummary}", now));
                steps.Add(new RecordDeployment(d with { Gates = results.ToList() }, PipelineEvents.GatePassed,
                    $"release {d.Release} passed {d.Environment}'s analysis gate: {analysis.LastSummary}"));
            }
        }

        var passed = (gates.HealthyFor is null || Has(GateNames.Healthy)) && (gates.Smoke is null || Has(GateNames.Smoke))
            && (gates.Analysis is null || Has(GateNames.Analysis));
        if (passed)
        {
            return Record(steps, d with { State = States.Succeeded, StateSince = now, Gates = results, Reason = null }, PipelineEvents.Succeeded,
                $"release {d.Release} passed every gate of {d.Environment}");
        }

        if (elapsed >= gates.Timeout)
        {
            var waiting = new[]
            {
                gates.HealthyFor is null || Has(GateNames.Healthy) ? null : GateNames.Healthy,
                gates.Smoke is null || Has(GateNames.Smoke) ? null : GateNames.Smoke,
                gates.Analysis is null || Has(GateNames.Analysis) ? null : GateNames.Analysis,
            }.OfType<string>();
            var last = gates.Analysis is not null && !Has(GateNames.Analysis) && analysis is not null
                ? $"; analysis: {analysis.Passed} of {gates.Analysis.Count ?? 1} measurements passed, {analysis.Inconclusive} inconclusive, last: {analysis.LastSummary}"
                : "";
            return Fail(string.Join('+', waiting), $"not passed within the gates' timeout ({Seconds(gates.Timeout)}){last}");
        }

        return results.Count == d.Gates.Count ? d : d with { Gates = results };
    }

    /// <summary>Nothing runs in the environment: the newest queued release deploys; older queued ones are superseded.</summary>
    private static void StartNext(List<EnvironmentDeploymentRecord> here, EnvironmentSpec environment, DateTimeOffset now, List<PipelineStep> steps)
    {
        var queued = here.Where(d => d.State == States.Queued).ToList();
        if (queued.Count == 0)
        {
            return;
        }

        var chosen = queued[^1];
        foreach (var older in queued.Take(queued.Count - 1))
        {
            Record(steps, older with { State = States.Superseded, StateSince = now, Reason = $"release {chosen.Release} was queued after it" },
                PipelineEvents.Superseded, $"release {older.Release} will not enter {environment.Name}: release {chosen.Release} replaces it");
        }

        steps.Add(new DeployRelease(chosen));
    }

    /// <summary>The newest release that succeeded here by promotion enters the next environment, unless it or a newer one already did.</summary>
    private static void Promote(
        PipelineSnapshot snapshot, List<EnvironmentDeploymentRecord> here, EnvironmentSpec environment, EnvironmentSpec next, List<PipelineStep> steps)
    {
        var candidate = here.Where(d => d.State == States.Succeeded && d.Kind == EnvironmentDeploymentKinds.Promotion).MaxBy(d => d.Release);
        if (candidate is null)
        {
            return;
        }

        var there = snapshot.Deployments.Where(d => d.Environment == next.Name).ToList();
        if (there.Any(d => d.Release >= candidate.Release && d.Kind == EnvironmentDeploymentKinds.Promotion))
        {
            return;
        }

        var now = snapshot.Now;
        var manual = next.Entry == EntryModes.Manual;
        foreach (var waiting in there.Where(d => d.State is States.WaitingApproval or States.Queued && d.Kind == EnvironmentDeploymentKinds.Promotion))
        {
            Record(steps, waiting with { State = States.Superseded, StateSince = now, Reason = $"release {candidate.Release} passed {environment.Name} after it" },
                PipelineEvents.Superseded, $"release {waiting.Release} will not enter {next.Name}: release {candidate.Release} replaces it");
        }

        var entering = new EnvironmentDeploymentRecord
        {
            Stack = snapshot.Stack,
            Environment = next.Name,
            Release = candidate.Release,
            Kind = EnvironmentDeploymentKinds.Promotion,
            State = manual ? States.WaitingApproval : States.Queued,
            Actor = candidate.Actor,
            CreatedAt = now,
            StateSince = now,
            Reason = $"passed {environment.Name}",
        };
        steps.Add(new RecordDeployment(
            entering,
            manual ? PipelineEvents.WaitingApproval : PipelineEvents.Queued,
            manual
                ? $"release {candidate.Release} passed {environment.Name}; waiting for approval to enter {next.Name} (berth approve {snapshot.Stack} {candidate.Release} --env {next.Name})"
                : $"release {candidate.Release} passed {environment.Name}; entering {next.Name}"));
    }

    private static EnvironmentDeploymentRecord Record(List<PipelineStep> steps, EnvironmentDeploymentRecord d, string kind, string message)
    {
        steps.Add(new RecordDeployment(d, kind, message));
        return d;
    }

    private static string GateList(GatesSpec gates) =>
        string.Join(", ", new[]
        {
            gates.HealthyFor is { } h ? $"healthy for {Seconds(h)}" : null,
            gates.Smoke is null ? null : "smoke",
            gates.Analysis is { } a ? $"analysis {a.Count ?? 1} × {Seconds(a.Interval)}" : null,
        }.OfType<string>());

    private static string Seconds(TimeSpan value) => string.Create(CultureInfo.InvariantCulture, $"{value.TotalSeconds:0.#}s");
}

/// <summary>Gate names, as results and messages give them.</summary>
public static class GateNames
{
    public const string Healthy = "healthy";
    public const string Smoke = "smoke";
    public const string Analysis = "analysis";
}
