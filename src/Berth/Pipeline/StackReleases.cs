using Berth.Api;
using Berth.Engine;
using Berth.Engine.Events;
using Berth.Images;
using Berth.Spec;
using Berth.Store;
using States = Berth.Store.EnvironmentDeploymentStates;

namespace Berth.Pipeline;

/// <summary>
/// The pipeline's commands: create a stack release (checked whole, images pinned, nothing written on a problem), which
/// enters the first environment; approve or reject a release waiting to enter an environment; roll an environment back
/// to a release it ran. Each writes its record and its event in one transaction, then wakes the pipeline.
/// </summary>
public sealed class StackReleases(
    BerthStore store, EventLog events, PipelineSignal signal, TimeProvider time, IImagePinner images, DeployTargets targets, WebhookOutbox outbox)
{
    public async Task<StackReleaseInfo> CreateAsync(string stack, StackReleaseRequest request, string? actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (ResourceNames.StackProblem(stack) is { } invalid)
        {
            throw ProblemException.Invalid(invalid);
        }

        if (request.Specs is not { Count: > 0 } specs)
        {
            throw ProblemException.Invalid("the request names no environment's spec");
        }

        if (specs.SelectMany(s => SpecNulls.Find(s.Value, $"specs.{s.Key}")).ToList() is { Count: > 0 } nulls)
        {
            throw ProblemException.Invalid("a spec holds null where a value is required", nulls);
        }

        var environments = specs.Values.First().Environments;
        var problems = Check(stack, environments, specs).ToList();
        if (problems.Count > 0)
        {
            throw ProblemException.Invalid($"cannot create a release of stack {stack}", problems);
        }

        var pinned = await PinAsync(stack, environments, specs, cancellationToken);
        var now = time.GetUtcNow();
        var first = environments[0];
        var (release, entry) = await store.WriteAsync(
            async tx =>
            {
                var release = await tx.InsertStackReleaseAsync(
                    new StackReleaseRecord
                    {
                        Stack = stack,
                        Number = 0,
                        Version = request.Version,
                        Message = request.Message,
                        CreatedBy = actor,
                        CreatedAt = now,
                        Document = new StackReleaseDocument { Environments = environments, Specs = pinned },
                    },
                    cancellationToken);
                var manual = first.Entry == EntryModes.Manual;
                var entering = await tx.InsertEnvironmentDeploymentAsync(
                    new EnvironmentDeploymentRecord
                    {
                        Stack = stack,
                        Environment = first.Name,
                        Release = release.Number,
                        Kind = EnvironmentDeploymentKinds.Promotion,
                        State = manual ? States.WaitingApproval : States.Queued,
                        Actor = actor,
                        CreatedAt = now,
                        StateSince = now,
                        Reason = "created",
                    },
                    cancellationToken);
                var version = release.Version is { } v ? $" ({v})" : "";
                var message = $"stack release {release.Number}{version} of {stack} created by {actor ?? "local"}; {(manual ? "waiting for approval to enter" : "entering")} {first.Name}";
                var entry = await events.AppendAsync(tx, PipelineEvents.ReleaseCreated, stack, null, null, message, cancellationToken);
                await outbox.AddAsync(tx, first, entering, PipelineEvents.ReleaseCreated, message, cancellationToken);
                return (release, entry);
            },
            cancellationToken);
        events.Publish(entry);
        signal.Poke();
        return PipelineQueries.Describe(release);
    }

    public Task<EnvironmentDeploymentInfo> ApproveAsync(string stack, string environment, ApprovalRequest request, string? actor, CancellationToken cancellationToken) =>
        DecideAsync(stack, environment, request, actor, approve: true, cancellationToken);

    public Task<EnvironmentDeploymentInfo> RejectAsync(string stack, string environment, ApprovalRequest request, string? actor, CancellationToken cancellationToken) =>
        DecideAsync(stack, environment, request, actor, approve: false, cancellationToken);

    /// <summary>
    /// The environment runs an earlier stack release again (default: the last one it ran before its current one). The
    /// release must be one the environment ran; it waits for a rollout in progress there, and never moves on.
    /// </summary>
    public async Task<EnvironmentDeploymentInfo> RollbackAsync(string stack, string environment, EnvironmentRollbackRequest request, string? actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = time.GetUtcNow();
        var (record, entry, version) = await store.WriteAsync(
            async tx =>
            {
                var latest = await tx.GetLatestStackReleaseAsync(stack, cancellationToken) ?? throw ProblemException.NotFound($"stack {stack} has no release (berth release create)");
                RequireEnvironment(latest, environment);
                var history = await tx.GetEnvironmentDeploymentsAsync(stack, environment, cancellationToken);
                var ran = history.Where(d => d.State == States.Succeeded).ToList();
                var current = history.LastOrDefault(d => d.State is States.Succeeded or States.Deploying or States.Verifying);
                int target;
                if (request.ToRelease is { } wanted)
                {
                    if (!history.Any(d => d.Release == wanted && d.ServiceReleases.Count > 0))
                    {
                        throw ProblemException.Invalid($"{environment} never ran release {wanted} of {stack}; it ran: {Releases(history.Where(d => d.ServiceReleases.Count > 0))}");
                    }

                    target = wanted;
                }
                else
                {
                    target = ran.LastOrDefault(d => d.Release != current?.Release)?.Release
                        ?? throw ProblemException.Conflict($"{environment} has no earlier release to go back to (it ran: {Releases(ran)})");
                }

                var rollback = await tx.InsertEnvironmentDeploymentAsync(
                    new EnvironmentDeploymentRecord
                    {
                        Stack = stack,
                        Environment = environment,
                        Release = target,
                        Kind = EnvironmentDeploymentKinds.Rollback,
                        State = States.Queued,
                        Actor = actor,
                        CreatedAt = now,
                        StateSince = now,
                        Reason = current is null ? "rollback" : $"rollback from release {current.Release}",
                    },
                    cancellationToken);
                var message = $"{environment} rolls back to release {target} of {stack} ({actor ?? "local"})";
                var entry = await events.AppendAsync(tx, PipelineEvents.RollbackQueued, stack, null, null, message, cancellationToken);
                await outbox.AddAsync(tx, Find(latest, environment), rollback, PipelineEvents.RollbackQueued, message, cancellationToken);
                var version = (await tx.GetStackReleaseAsync(stack, target, cancellationToken))?.Version;
                return (rollback, entry, version);
            },
            cancellationToken);
        events.Publish(entry);
        signal.Poke();
        return PipelineQueries.Describe(record, version);
    }

    private async Task<EnvironmentDeploymentInfo> DecideAsync(
        string stack, string environment, ApprovalRequest request, string? actor, bool approve, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = time.GetUtcNow();
        var (record, entry, version) = await store.WriteAsync(
            async tx =>
            {
                var latest = await tx.GetLatestStackReleaseAsync(stack, cancellationToken) ?? throw ProblemException.NotFound($"stack {stack} has no release (berth release create)");
                RequireEnvironment(latest, environment);
                var history = await tx.GetEnvironmentDeploymentsAsync(stack, environment, cancellationToken);
                var waiting = history.LastOrDefault(d => d.Release == request.Release && d.State == States.WaitingApproval);
                if (waiting is null)
                {
                    var pending = history.Where(d => d.State == States.WaitingApproval).Select(d => d.Release).ToList();
                    throw ProblemException.Conflict(pending.Count == 0
                        ? $"release {request.Release} of {stack} does not wait for approval in {environment}; nothing waits there"
                        : $"release {request.Release} of {stack} does not wait for approval in {environment}; waiting: release {string.Join(", ", pending)}");
                }

                var decided = waiting with
                {
                    State = approve ? States.Queued : States.Rejected,
                    Actor = actor,
                    Comment = request.Comment,
                    StateSince = now,
                    Reason = approve ? "approved" : "rejected",
                };
                await tx.UpdateEnvironmentDeploymentAsync(decided, cancellationToken);
                var comment = string.IsNullOrWhiteSpace(request.Comment) ? "" : $": {request.Comment}";
                var message = $"release {request.Release} of {stack} {(approve ? "approved into" : "rejected for")} {environment} by {actor ?? "local"}{comment}";
                var kind = approve ? PipelineEvents.Approved : PipelineEvents.Rejected;
                var entry = await events.AppendAsync(tx, kind, stack, null, null, message, cancellationToken);
                await outbox.AddAsync(tx, Find(latest, environment), decided, kind, message, cancellationToken);
                var version = (await tx.GetStackReleaseAsync(stack, request.Release, cancellationToken))?.Version;
                return (decided, entry, version);
            },
            cancellationToken);
        events.Publish(entry);
        signal.Poke();
        return PipelineQueries.Describe(record, version);
    }

    private IEnumerable<string> Check(string stack, IReadOnlyList<EnvironmentSpec> environments, IReadOnlyDictionary<string, ComposeSpec> specs)
    {
        if (environments.Count == 0)
        {
            yield return "the files declare no environments: add x-berth.environments (see docs/concepts/environments.md)";
            yield break;
        }

        foreach (var environment in environments)
        {
            if (!specs.ContainsKey(environment.Name))
            {
                yield return $"environment {environment.Name}: no spec was sent for it";
            }

            if (targets.Find(environment.Target) is null)
            {
                yield return $"environment {environment.Name}: unknown target \"{environment.Target}\"; targets: {string.Join(", ", targets.All.Select(t => t.Name))} (berth target ls)";
            }

            if (ResourceNames.StackProblem(EnvironmentStacks.Name(stack, environment.Name)) is { } tooLong)
            {
                yield return $"environment {environment.Name}: {tooLong}";
            }
        }

        foreach (var extra in specs.Keys.Where(k => environments.All(e => e.Name != k)))
        {
            yield return $"a spec was sent for environment {extra}, which the files do not declare";
        }

        foreach (var (name, spec) in specs)
        {
            foreach (var service in spec.Services.Values.Where(s => s.Secrets.Count > 0))
            {
                foreach (var secret in service.Secrets.Where(s => spec.Secrets.TryGetValue(s.Source, out var top) && !top.External))
                {
                    yield return $"environment {name}: service {service.Name}: secret {secret.Source}: a release carries no secret content; declare it external: true (a secret kept by the server)";
                }
            }
        }
    }

    /// <summary>
    /// Each image tag resolved once per target to what it designates now, with that target's engine: every environment
    /// then runs the same bytes (the same registry digest; an image never pushed is pinned to each engine's own ID).
    /// </summary>
    private async Task<Dictionary<string, ComposeSpec>> PinAsync(
        string stack, IReadOnlyList<EnvironmentSpec> environments, IReadOnlyDictionary<string, ComposeSpec> specs, CancellationToken cancellationToken)
    {
        // Once per image and target: a registry digest is the same everywhere, an engine's local image ID is its own.
        var pins = new Dictionary<(string Image, string? Target), ImagePin>();
        var problems = new List<string>();
        var result = new Dictionary<string, ComposeSpec>(StringComparer.Ordinal);
        foreach (var environment in environments)
        {
            var spec = EnvironmentOverlay.Apply(specs[environment.Name], environment);
            var services = new Dictionary<string, ServiceSpec>(StringComparer.Ordinal);
            foreach (var (key, service) in spec.Services)
            {
                if (service.Image is { Length: > 0 } image && !pins.ContainsKey((image, service.Target)))
                {
                    pins[(image, service.Target)] = await images.PinAsync(service, cancellationToken);
                }

                var pin = service.Image is { Length: > 0 } i ? pins[(i, service.Target)] : ImagePin.None;
                if (pin.Problem is { } problem)
                {
                    problems.Add($"service {key}: {problem}");
                }

                services[key] = service with { PinnedImage = pin.Pinned };
            }

            result[environment.Name] = spec with { Services = services };
        }

        return problems.Count > 0 ? throw ProblemException.Invalid($"cannot create a release of stack {stack}", problems.Distinct().ToList()) : result;
    }

    private static EnvironmentSpec? Find(StackReleaseRecord latest, string environment) =>
        latest.Document.Environments.FirstOrDefault(e => e.Name == environment);

    private static void RequireEnvironment(StackReleaseRecord latest, string environment)
    {
        if (latest.Document.Environments.All(e => e.Name != environment))
        {
            throw ProblemException.NotFound($"stack {latest.Stack} has no environment {environment}; it has: {string.Join(", ", latest.Document.Environments.Select(e => e.Name))}");
        }
    }

    private static string Releases(IEnumerable<EnvironmentDeploymentRecord> deployments)
    {
        var numbers = deployments.Select(d => d.Release).Distinct().ToList();
        return numbers.Count == 0 ? "none" : string.Join(", ", numbers);
    }
}
