using Berth.Api;
using Berth.Engine;
using Berth.Engine.Events;
using Berth.Engine.Replicas;
using Berth.Engine.Rolling;
using Berth.Images;
using Berth.Releases;
using Berth.Spec;
using Berth.Store;
using Microsoft.Extensions.Options;

namespace Berth.Deployments;

/// <summary>
/// `deploy` and `rm`: checks a whole stack first (all problems at once), then writes stack, services and new releases
/// in one transaction, and hands the services to the engine. A service whose spec did not change keeps its release; a
/// service of the stack the spec no longer lists is kept, or removed with --prune, in that same transaction.
/// </summary>
public sealed class StackDeployer
{
    private readonly BerthStore _store;
    private readonly EventLog _events;
    private readonly ReconcileQueue _queue;
    private readonly PublishedPortChecker _ports;
    private readonly TimeProvider _time;
    private readonly Runtimes.IRuntimeDriver _driver;
    private readonly Pipeline.DeployTargets? _targets;
    private readonly DeploymentLimitsOptions _limits;

    private readonly Security.HostCommandPolicy? _hostCommands;
    private readonly IImagePinner _images;
    private readonly Artifacts.ArtifactStore? _artifacts;

    public StackDeployer(
        BerthStore store, EventLog events, ReconcileQueue queue, PublishedPortChecker ports, TimeProvider time, Runtimes.IRuntimeDriver driver,
        IOptions<DeploymentLimitsOptions> limits, Security.HostCommandPolicy? hostCommands = null, IImagePinner? images = null,
        Artifacts.ArtifactStore? artifacts = null, Pipeline.DeployTargets? targets = null)
    {
        _targets = targets;
        _artifacts = artifacts;
        _hostCommands = hostCommands;
        _images = images ?? new NoImagePinning();
        _driver = driver;
        _limits = limits.Value;
        _store = store;
        _events = events;
        _queue = queue;
        _ports = ports;
        _time = time;
    }

    public Task<DeployResponse> DeployAsync(string stack, ComposeSpec spec, CancellationToken cancellationToken) =>
        DeployAsync(stack, new DeployRequest(spec), cancellationToken);

    /// <summary>
    /// Deploys the request's spec; its secret contents are those of the granted secrets by name, as the CLI read them
    /// (file: and environment:), and a changed content makes a new release. With <see cref="DeployRequest.Prune"/> the
    /// stack's services the spec no longer lists are removed.
    /// </summary>
    public Task<DeployResponse> DeployAsync(string stack, DeployRequest request, CancellationToken cancellationToken) =>
        DeployAsync(stack, request, keepPins: false, cancellationToken);

    /// <summary>
    /// Deploys a stack release's spec for an environment: its images were pinned by the server when the release was
    /// created, and every environment runs those bytes whatever the tags say now. Never reachable with a client's spec.
    /// </summary>
    public Task<DeployResponse> DeployReleaseAsync(string stack, DeployRequest request, CancellationToken cancellationToken) =>
        DeployAsync(stack, request, keepPins: true, cancellationToken);

    private async Task<DeployResponse> DeployAsync(string stack, DeployRequest request, bool keepPins, CancellationToken cancellationToken)
    {
        var spec = request.Spec;
        if (ResourceNames.StackProblem(stack) is { } invalid)
        {
            throw ProblemException.Invalid(invalid);
        }

        if (spec.Services.Count == 0)
        {
            throw ProblemException.Invalid("the compose file defines no services");
        }

        var services = spec.Services.Values.Select(s => Prepare(stack, s, spec)).ToList();
        // Every service of a stack runs on one target: an environment's, or the server's own runtime.
        var runtime = _driver.RuntimeOf(services[0]);
        var problems = services.Select(s => s.Target).OfType<string>().Distinct().Where(t => _targets?.Find(t) is null)
            .Select(t => $"target {t} is not defined on this server (berth target ls)").ToList();
        problems.AddRange(services.Select(s => ReplicaLaunchFactory.CannotRun(s, runtime) is { } why ? $"service {s.Name}: {why}" : null).OfType<string>());
        problems.AddRange(services.SelectMany(ReplicaProblems));
        problems.AddRange(services.SelectMany(s => UnroutablePorts.Of(s).Select(port => $"service {s.Name}: ports: {port}: {UnroutablePorts.UdpMessage}")));
        var kept = await _store.ReadAsync(tx => tx.GetStackSecretContentsAsync(stack, cancellationToken), cancellationToken);
        var secrets = DeploySecrets.Resolve(stack, spec, services, request.SecretContents, kept, runtime);
        problems.AddRange(secrets.Problems);
        problems.AddRange(services.SelectMany(s => _hostCommands?.CheckService(s, runtime) ?? []));
        problems.AddRange(services.Select(ArtifactProblem).OfType<string>());
        problems.AddRange(await _ports.FindConflictsAsync(stack, services, cancellationToken));
        if (problems.Count > 0)
        {
            throw ProblemException.Invalid($"cannot deploy stack {stack}", problems);
        }

        var warnings = Runtimes.UnappliedKeys.WarningsFor(runtime, stack, spec).ToList();
        services = await PinImagesAsync(stack, spec, services, warnings, keepPins, cancellationToken);
        var now = _time.GetUtcNow();
        var (results, unlisted, events) = await _store.WriteAsync(
            async tx =>
            {
                var existing = await tx.GetStackAsync(stack, cancellationToken);
                await tx.UpsertStackAsync(new StackRecord(stack, spec.SourceFiles, existing?.CreatedAt ?? now, now), cancellationToken);
                var results = new List<ServiceDeployResult>();
                var events = new List<EventRecord>
                {
                    await _events.AppendAsync(tx, "stack.deployed", stack, null, null, $"stack {stack} deployed ({services.Count} services)", cancellationToken),
                };
                foreach (var service in services)
                {
                    var (result, entry) = await ApplyServiceAsync(tx, stack, service, secrets, now, cancellationToken);
                    results.Add(result);
                    events.Add(entry);
                }

                var unlisted = await SettleUnlistedAsync(tx, stack, services, request.Prune, now, events, cancellationToken);
                return (results, unlisted, events);
            },
            cancellationToken);

        _events.Publish(events);
        foreach (var service in results.Select(r => r.Service).Concat(request.Prune ? unlisted : []))
        {
            _queue.Enqueue(service);
        }

        return new DeployResponse(stack, results)
        {
            Pruned = request.Prune ? unlisted : [],
            Kept = request.Prune ? [] : unlisted,
            Warnings = warnings,
        };
    }

    /// <summary>
    /// Each service's image tag resolved to what it designates now (a registry digest, else a local image ID), before
    /// fingerprints are computed: the release pins the bytes it runs. A registry that refuses the login refuses the deploy.
    /// </summary>
    private async Task<List<ServiceSpec>> PinImagesAsync(
        string stack, ComposeSpec spec, IReadOnlyList<ServiceSpec> services, List<DeployWarning> warnings, bool keepPins, CancellationToken cancellationToken)
    {
        // A client's pin is never trusted; a stack release's was made by this server when the release was created.
        var pins = await Task.WhenAll(services.Select(s =>
            keepPins && s.PinnedImage is { } pinned ? Task.FromResult(new ImagePin(pinned)) : _images.PinAsync(s, cancellationToken)));
        var keys = spec.Services.Keys.ToList();
        var problems = pins.Select((p, i) => p.Problem is null ? null : $"service {services[i].Name}: {p.Problem}").OfType<string>().ToList();
        if (problems.Count > 0)
        {
            throw ProblemException.Invalid($"cannot deploy stack {stack}", problems);
        }

        warnings.AddRange(pins
            .Select((p, i) => p.Warning is null ? null : new DeployWarning(services[i].Name, $"services.{keys[i]}.image", p.Warning))
            .OfType<DeployWarning>());
        return services.Select((s, i) => s with { PinnedImage = pins[i].Pinned }).ToList();
    }

    /// <summary>A service that runs from an artifact needs one the server has (berth deploy uploads it first).</summary>
    private string? ArtifactProblem(ServiceSpec service) => service.Berth.Process switch
    {
        { FromArtifact: true, ArtifactDigest: null } =>
            $"service {service.Name}: x-berth.process.artifact is true but the deploy names no artifact: deploy with berth deploy, which builds and uploads it",
        { ArtifactDigest: { } digest } when !Artifacts.ArtifactPackage.IsDigest(digest) =>
            $"service {service.Name}: artifact '{digest}' is not a digest (sha256: and 64 hex digits)",
        { ArtifactDigest: { } digest } when _artifacts is not null && !_artifacts.Has(digest) =>
            $"service {service.Name}: the server has no artifact {digest}: berth deploy uploads it before deploying",
        _ => null,
    };

    /// <summary>Replica counts above the server's limit: <c>deploy.replicas</c> and canary <c>replicas</c> steps.</summary>
    private IEnumerable<string> ReplicaProblems(ServiceSpec service)
    {
        if (service.Deploy.Mode != DeployModes.Global && _limits.Check("deploy.replicas", service.Deploy.Replicas) is { } replicas)
        {
            yield return $"service {service.Name}: {replicas}";
        }

        var steps = service.Berth.Strategy.Canary?.Steps ?? [];
        for (var i = 0; i < steps.Count; i++)
        {
            if (steps[i].Replicas is { } count && _limits.Check($"x-berth.canary.steps[{i}].replicas", count) is { } step)
            {
                yield return $"service {service.Name}: {step}";
            }
        }
    }

    /// <summary>
    /// The stack's services <paramref name="listed"/> does not name (those already being removed aside): marked for
    /// removal with <paramref name="prune"/>, as `rm` marks them (the engine drains and stops their replicas, then
    /// deletes them), else left running. Either way each gets an event.
    /// </summary>
    private async Task<IReadOnlyList<string>> SettleUnlistedAsync(
        StoreTransaction tx, string stack, IReadOnlyList<ServiceSpec> listed, bool prune, DateTimeOffset now, List<EventRecord> events, CancellationToken cancellationToken)
    {
        var names = listed.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var unlisted = (await tx.GetServicesAsync(stack, cancellationToken)).Where(s => !s.Removing && !names.Contains(s.Name)).OrderBy(s => s.Name, StringComparer.Ordinal).ToList();
        foreach (var service in unlisted)
        {
            if (prune)
            {
                await tx.UpsertServiceAsync(service with { Removing = true, Status = ServiceStatuses.Removing, UpdatedAt = now }, cancellationToken);
                events.Add(await _events.AppendAsync(tx, "service.pruned", stack, service.Name, null, $"{service.Name} is not in the files; removing it (--prune)", cancellationToken));
            }
            else
            {
                events.Add(await _events.AppendAsync(tx, "service.kept", stack, service.Name, null, $"{service.Name} is not in the files; kept (use --prune to remove it)", cancellationToken));
            }
        }

        return unlisted.Select(s => s.Name).ToList();
    }

    private async Task<(ServiceDeployResult, EventRecord)> ApplyServiceAsync(
        StoreTransaction tx, string stack, ServiceSpec spec, DeploySecrets secrets, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var current = await tx.GetServiceAsync(spec.Name, cancellationToken);
        if (current is not null && current.Stack != stack)
        {
            throw ProblemException.Conflict($"service {spec.Name} belongs to stack {current.Stack}");
        }

        // The running release and the last number only, not the history: a deploy reads two releases however many came before.
        var running = current is null ? null : await tx.GetReleaseAsync(spec.Name, current.Release, cancellationToken);
        var granted = secrets.Of(spec.Name);
        var fingerprint = ReleaseFingerprint.Of(spec, granted);
        var replicas = spec.Deploy.Mode == DeployModes.Global ? 1 : spec.Deploy.Replicas;
        if (running is not null && running.SpecHash == fingerprint && current is { Removing: false })
        {
            // Same release; like `docker stack deploy`, the file's replica count still applies.
            await tx.UpsertServiceAsync(current with { DesiredReplicas = replicas, Mode = spec.Deploy.Mode, UpdatedAt = now }, cancellationToken);
            var scaled = current.DesiredReplicas != replicas ? $", replicas {current.DesiredReplicas} → {replicas}" : "";
            var entry = await _events.AppendAsync(tx, "service.unchanged", stack, spec.Name, null, $"{spec.Name} unchanged (release {running.Number}){scaled}", cancellationToken);
            return (new ServiceDeployResult(spec.Name, running.Number, false, "unchanged" + scaled), entry);
        }

        var number = current is null ? 1 : await tx.GetLastReleaseNumberAsync(spec.Name, cancellationToken) + 1;
        var summary = ReleaseDiff.Describe(running?.Spec, spec, running?.Secrets ?? [], granted);
        if (current is { Removing: false })
        {
            await SupersedeAsync(tx, current, now, cancellationToken);
        }

        await tx.InsertReleaseAsync(new ReleaseRecord(spec.Name, number, now, spec, fingerprint, summary) { Secrets = granted }, cancellationToken);
        foreach (var secret in granted.Where(s => !s.IsExternal))
        {
            await tx.SaveSecretContentAsync(stack, secret.Source, secrets.ContentOf(secret.Source), now, cancellationToken);
        }

        await tx.ClearRestartsAsync(spec.Name, cancellationToken);
        // Blue/green and canary run the new release beside the running one, which stays the service's release (and gets
        // the traffic) until the switch; a rolling update makes the new release the service's release at once and
        // replaces replicas per update_config. Either way the rollout record makes it resumable.
        var strategy = spec.Berth.Strategy.Kind;
        var progressive = current is { Removing: false } && strategy != StrategySpec.RollingKind;
        if (current is { Removing: false })
        {
            var rollout = RolloutLedger.New(spec.Name, "update", current.Release, number, spec.Deploy.UpdateConfig, now);
            if (progressive)
            {
                rollout = rollout with { Strategy = strategy, Progress = new RolloutProgress { StepStartedAt = now, ProgressedAt = now } };
            }

            await tx.InsertRolloutAsync(rollout, cancellationToken);
        }

        await tx.UpsertServiceAsync(
            new ServiceRecord
            {
                Name = spec.Name,
                Stack = stack,
                Mode = spec.Deploy.Mode,
                DesiredReplicas = replicas,
                Release = progressive ? current!.Release : number,
                Status = ServiceStatuses.Converging,
                CreatedAt = current?.CreatedAt ?? now,
                UpdatedAt = now,
            },
            cancellationToken);
        var how = progressive ? $" ({strategy} rollout from release {current!.Release})" : "";
        var created = await _events.AppendAsync(tx, "release.created", stack, spec.Name, null, $"{spec.Name} release {number}: {summary}{how}", cancellationToken);
        return (new ServiceDeployResult(spec.Name, number, true, summary + how), created);
    }

    /// <summary>
    /// A deploy may replace a paused rollout (the fix for what paused it), never one still moving: that one is named
    /// in a conflict error and nothing is written.
    /// </summary>
    private static async Task<RolloutRecord?> SupersedeAsync(StoreTransaction tx, ServiceRecord service, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var rollout = await tx.GetLatestRolloutAsync(service.Name, cancellationToken);
        if (rollout is null || !rollout.IsActive)
        {
            return null;
        }

        if (rollout.State != RolloutStates.Paused)
        {
            throw ProblemException.Conflict(
                $"service {service.Name} has a rollout in progress: #{rollout.Id} {rollout.Kind} from release {rollout.FromRelease} to {rollout.ToRelease} ({rollout.State}); " +
                $"wait for it (berth rollout status {service.Name} --watch), pause it (berth rollout pause {service.Name}) or roll back (berth rollback {service.Name})");
        }

        var superseded = rollout with { State = RolloutStates.Superseded, Reason = "replaced by a new deploy", UpdatedAt = now };
        await tx.UpdateRolloutAsync(superseded, cancellationToken);
        return superseded;
    }

    /// <summary>Names the service STACK_SERVICE (as Swarm) and fills what the release must pin down (the working directory).</summary>
    private static ServiceSpec Prepare(string stack, ServiceSpec service, ComposeSpec spec)
    {
        var process = service.Berth.Process;
        if (process is { WorkingDir: null } && spec.SourceFiles.Count > 0)
        {
            process = process with { WorkingDir = Path.GetDirectoryName(spec.SourceFiles[0]) };
        }

        return service with { Name = $"{stack}_{service.Name}", Berth = service.Berth with { Process = process } };
    }

    /// <summary>`rm STACK`: marks its services for removal; the engine stops their replicas and deletes them.</summary>
    public async Task<IReadOnlyList<string>> RemoveAsync(string stack, CancellationToken cancellationToken)
    {
        var (names, entry) = await _store.WriteAsync(
            async tx =>
            {
                if (await tx.GetStackAsync(stack, cancellationToken) is null)
                {
                    throw ProblemException.NotFound($"no stack named {stack}");
                }

                var services = await tx.GetServicesAsync(stack, cancellationToken);
                foreach (var service in services)
                {
                    await tx.UpsertServiceAsync(service with { Removing = true, Status = ServiceStatuses.Removing, UpdatedAt = _time.GetUtcNow() }, cancellationToken);
                }

                if (services.Count == 0)
                {
                    await tx.DeleteStackAsync(stack, cancellationToken);
                }

                var entry = await _events.AppendAsync(tx, "stack.removing", stack, null, null, $"removing stack {stack}", cancellationToken);
                return (services.Select(s => s.Name).ToList(), entry);
            },
            cancellationToken);
        _events.Publish(entry);
        foreach (var name in names)
        {
            _queue.Enqueue(name);
        }

        return names;
    }
}
