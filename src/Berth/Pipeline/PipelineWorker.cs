using Berth.Api;
using Berth.Deployments;
using Berth.Engine;
using Berth.Engine.Events;
using Berth.Engine.Gates;
using Berth.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using States = Berth.Store.EnvironmentDeploymentStates;

namespace Berth.Pipeline;

/// <summary>
/// Carries the pipeline out: each pass, for every stack with releases, reads its state, asks
/// <see cref="PipelinePlanner"/> what to do, records the decisions and their events in one transaction, then deploys the
/// queued release (recording deploying with the service releases it made, or failed with the deploy's problems) and
/// starts smoke commands. Everything it needs is in the store, so a server killed mid-promotion resumes where it was:
/// a deploy cut short is deployed again (unchanged services keep their release), a smoke command cut short runs again.
/// </summary>
public sealed partial class PipelineWorker : BackgroundService
{
    private readonly BerthStore _store;
    private readonly EventLog _events;
    private readonly StackDeployer _deployer;
    private readonly StackObserver _observer;
    private readonly PipelineSignal _signal;
    private readonly TimeProvider _time;
    private readonly ILogger<PipelineWorker> _logger;
    private readonly SmokeTestRunner _smoke;
    private readonly WebhookOutbox _outbox;
    private readonly AnalysisGateRunner _analyses;

    public PipelineWorker(
        BerthStore store, EventLog events, StackDeployer deployer, PipelineSignal signal, TimeProvider time, ILogger<PipelineWorker> logger,
        WebhookOutbox outbox, Routing.IKpiSource kpis, Security.HostCommandPolicy? hostCommands = null)
    {
        _outbox = outbox;
        _analyses = new AnalysisGateRunner(kpis, time, hostCommands);
        _store = store;
        _events = events;
        _deployer = deployer;
        _observer = new StackObserver(store);
        _signal = signal;
        _time = time;
        _logger = logger;
        _smoke = new SmokeTestRunner(hostCommands);
    }

    /// <summary>How often the pipeline looks again when nothing wakes it (rollouts and gates are watched this often).</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(1);

    public override void Dispose()
    {
        _smoke.Dispose();
        _analyses.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunPassAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                Log.PassFailed(_logger, exception);
            }

            try
            {
                await _signal.WaitAsync(Interval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One pass over every stack that has releases.</summary>
    public async Task RunPassAsync(CancellationToken cancellationToken)
    {
        var stacks = await _store.ReadAsync(tx => tx.GetStacksWithReleasesAsync(cancellationToken), cancellationToken);
        foreach (var stack in stacks)
        {
            await RunStackAsync(stack, cancellationToken);
        }
    }

    private async Task RunStackAsync(string stack, CancellationToken cancellationToken)
    {
        var (latest, deployments) = await _store.ReadAsync(
            async tx => (await tx.GetLatestStackReleaseAsync(stack, cancellationToken), await tx.GetEnvironmentDeploymentsAsync(stack, null, cancellationToken)),
            cancellationToken);
        if (latest is null || !deployments.Any(d => States.IsOpen(d.State) || d.State == States.Succeeded))
        {
            return;
        }

        var observations = new Dictionary<long, StackObservation>();
        var smokes = new Dictionary<long, SmokeObservation>();
        var analyses = new Dictionary<long, AnalysisObservation>();
        foreach (var running in deployments.Where(d => States.IsRunning(d.State)))
        {
            var gates = latest.Document.Environments.FirstOrDefault(e => e.Name == running.Environment)?.Gates;
            if (running.State == States.Verifying && gates?.Analysis is { } analysis
                && _analyses.Observe(running.Id, analysis, RoutedServices(running, latest)) is { } measured)
            {
                analyses[running.Id] = measured;
            }

            observations[running.Id] = await _observer.ObserveAsync(running, cancellationToken);
            if (_smoke.StatusOf(running.Id) is { } status)
            {
                smokes[running.Id] = status.Result is { } result
                    ? new SmokeObservation(true, result.ExitCode, _time.GetUtcNow() - running.StateSince, result.Passed ? "" : $"{result.Summary}; {result.Output}")
                    : SmokeObservation.Running;
            }
        }

        var plan = PipelinePlanner.Plan(new PipelineSnapshot
        {
            Stack = stack,
            Environments = latest.Document.Environments,
            Deployments = deployments,
            Observations = observations,
            Smokes = smokes,
            Analyses = analyses,
            Now = _time.GetUtcNow(),
        });
        if (plan.IsEmpty)
        {
            return;
        }

        await RecordAsync(latest.Document.Environments, plan.Steps.OfType<RecordDeployment>().ToList(), cancellationToken);
        foreach (var step in plan.Steps)
        {
            switch (step)
            {
                case DeployRelease deploy:
                    await DeployAsync(deploy.Deployment, latest.Document.Environments, cancellationToken);
                    break;
                case StartSmoke start:
                    await StartSmokeAsync(start.Deployment, latest, cancellationToken);
                    break;
                case StartAnalysis analysis:
                    StartAnalysisGate(analysis.Deployment, latest);
                    break;
            }
        }
    }

    private async Task RecordAsync(IReadOnlyList<Spec.EnvironmentSpec> environments, IReadOnlyList<RecordDeployment> records, CancellationToken cancellationToken)
    {
        if (records.Count == 0)
        {
            return;
        }

        var entries = await _store.WriteAsync(
            async tx =>
            {
                var entries = new List<EventRecord>();
                foreach (var record in records)
                {
                    if (record.Deployment.Id == 0)
                    {
                        await tx.InsertEnvironmentDeploymentAsync(record.Deployment, cancellationToken);
                    }
                    else
                    {
                        await tx.UpdateEnvironmentDeploymentAsync(record.Deployment, cancellationToken);
                    }

                    entries.Add(await _events.AppendAsync(tx, record.EventKind, record.Deployment.Stack, null, null, record.Message, cancellationToken));
                    var environment = environments.FirstOrDefault(e => e.Name == record.Deployment.Environment);
                    await _outbox.AddAsync(tx, environment, record.Deployment, record.EventKind, record.Message, cancellationToken);
                }

                return entries;
            },
            cancellationToken);
        _events.Publish(entries);
        foreach (var done in records.Where(r => r.Deployment.State != States.Verifying))
        {
            _smoke.Forget(done.Deployment.Id);
            _analyses.Forget(done.Deployment.Id);
        }
    }

    /// <summary>Deploys the release's spec for the environment into STACK-ENV; the answer's release numbers are what the gates watch.</summary>
    private async Task DeployAsync(EnvironmentDeploymentRecord deployment, IReadOnlyList<Spec.EnvironmentSpec> environments, CancellationToken cancellationToken)
    {
        var release = await _store.ReadAsync(tx => tx.GetStackReleaseAsync(deployment.Stack, deployment.Release, cancellationToken), cancellationToken);
        var environmentStack = EnvironmentStacks.Name(deployment.Stack, deployment.Environment);
        var now = _time.GetUtcNow();
        EnvironmentDeploymentRecord next;
        string message;
        if (release?.Document.Specs.GetValueOrDefault(deployment.Environment) is not { } spec)
        {
            next = deployment with { State = States.Failed, StateSince = now, Reason = $"release {deployment.Release} has no spec for {deployment.Environment}" };
            message = $"release {deployment.Release} cannot enter {deployment.Environment}: {next.Reason}";
        }
        else
        {
            // A rollback goes back to bytes that ran there already: a rolling update, no canary steps nor analysis to wait
            // for (as Argo Rollouts' rollback window), so it is quick whatever traffic the environment gets.
            if (deployment.Kind == EnvironmentDeploymentKinds.Rollback)
            {
                spec = spec with { Services = spec.Services.ToDictionary(p => p.Key, p => p.Value with { Berth = p.Value.Berth with { Strategy = new Spec.StrategySpec() } }) };
            }

            try
            {
                var response = await _deployer.DeployReleaseAsync(environmentStack, new DeployRequest(spec) { Prune = true }, cancellationToken);
                next = deployment with
                {
                    State = States.Deploying,
                    StateSince = now,
                    ServiceReleases = response.Services.ToDictionary(s => s.Service, s => s.Release, StringComparer.Ordinal),
                };
                var changed = response.Services.Count(s => s.Changed);
                message = $"release {deployment.Release} of {deployment.Stack} deploying into {deployment.Environment} as stack {environmentStack} ({changed} of {response.Services.Count} services changed)";
            }
            catch (ProblemException problem)
            {
                var details = problem.Details.Count > 0 ? $": {string.Join("; ", problem.Details)}" : "";
                next = deployment with { State = States.Failed, StateSince = now, Reason = $"{problem.Message}{details}" };
                message = $"release {deployment.Release} could not be deployed into {deployment.Environment}: {next.Reason}";
            }
        }

        await RecordAsync(environments, [new RecordDeployment(next, next.State == States.Failed ? PipelineEvents.Failed : PipelineEvents.Deploying, message)], cancellationToken);
        _signal.Poke();
    }

    private Task StartSmokeAsync(EnvironmentDeploymentRecord deployment, StackReleaseRecord latest, CancellationToken cancellationToken)
    {
        var environment = latest.Document.Environments.First(e => e.Name == deployment.Environment);
        if (environment.Gates.Smoke is not { } command)
        {
            return Task.CompletedTask;
        }

        var spec = latest.Document.Specs.GetValueOrDefault(deployment.Environment);
        var variables = SmokeVariables.For(deployment, spec);
        var folder = spec?.SourceFiles.FirstOrDefault() is { } file ? Path.GetDirectoryName(file) ?? Path.GetTempPath() : Path.GetTempPath();
        _smoke.Start(deployment.Id, new SmokeCommand(command, folder, variables, environment.Gates.SmokeTimeout));
        return Task.CompletedTask;
    }

    /// <summary>The analysis gate's clock and its load command (told the same variables as a smoke command).</summary>
    private void StartAnalysisGate(EnvironmentDeploymentRecord deployment, StackReleaseRecord latest)
    {
        var gates = latest.Document.Environments.First(e => e.Name == deployment.Environment).Gates;
        var spec = latest.Document.Specs.GetValueOrDefault(deployment.Environment);
        var folder = spec?.SourceFiles.FirstOrDefault() is { } file ? Path.GetDirectoryName(file) ?? Path.GetTempPath() : Path.GetTempPath();
        // The load runs until it exits (bound it, e.g. hey -z 30s) or the gates' timeout.
        var load = gates.Load is { } command ? new SmokeCommand(command, folder, SmokeVariables.For(deployment, spec), gates.Timeout) : null;
        _analyses.Start(deployment.Id, gates, load);
    }

    /// <summary>The services of a deployment the routers serve (a published port), each with the release to measure.</summary>
    private static Dictionary<string, int> RoutedServices(EnvironmentDeploymentRecord deployment, StackReleaseRecord latest)
    {
        var spec = latest.Document.Specs.GetValueOrDefault(deployment.Environment);
        var stack = EnvironmentStacks.Name(deployment.Stack, deployment.Environment);
        return (spec?.Services ?? new Dictionary<string, Spec.ServiceSpec>())
            .Where(s => s.Value.Ports.Any(p => p.Published is not null))
            .Select(s => $"{stack}_{s.Key}")
            .Where(deployment.ServiceReleases.ContainsKey)
            .ToDictionary(name => name, name => deployment.ServiceReleases[name], StringComparer.Ordinal);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 700, Level = LogLevel.Error, Message = "Pipeline pass failed; retrying at the next tick")]
        public static partial void PassFailed(ILogger logger, Exception exception);
    }
}
