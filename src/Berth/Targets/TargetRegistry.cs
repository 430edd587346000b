using Berth.Api;
using Berth.Engine.Events;
using Berth.Runtimes;
using Berth.Spec;
using Berth.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Berth.Targets;

/// <summary>
/// The targets an admin adds and removes (<c>berth target add NAME --docker-host URL | --process</c>, <c>berth target rm</c>):
/// kept in the store, each given its runtime in <see cref="TargetRuntimeDriver"/> when the server starts and when it is
/// added. A Docker target is checked before it is kept (its engine must answer and be a Swarm manager); a target is removed only when
/// no replica runs on it.
/// </summary>
public sealed partial class TargetRegistry(
    BerthStore store, TargetRuntimeDriver runtime, ITargetRuntimeFactory factory, EventLog events, TimeProvider time, ILogger<TargetRegistry> logger)
    : IHostedService, IAsyncDisposable
{
    /// <summary>The URI schemes an engine is reached by.</summary>
    public static readonly string[] Schemes = ["tcp", "unix", "http", "https"];

    private readonly SemaphoreSlim _gate = new(1, 1);
    private IReadOnlyList<TargetRecord> _records = [];

    /// <summary>Every Docker target, by name.</summary>
    public IReadOnlyList<TargetRecord> All => _records;

    /// <summary>Gives each kept target its runtime before the engine adopts the replicas running there.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _records = await store.ReadAsync(tx => tx.GetTargetsAsync(cancellationToken), cancellationToken).ConfigureAwait(false);
        foreach (var target in _records)
        {
            try
            {
                runtime.Attach(target.Name, factory.Create(target));
            }
            catch (Exception e) when (e is DockerApi.DockerConnectionException or IOException or UnauthorizedAccessException)
            {
                // Its replicas are refused until it is fixed (berth target rm, then add): the server still starts.
                LogUnusable(logger, target.Name, e.Message);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Checks the target's engine, then keeps it and gives it its runtime; nothing is kept when it is refused.</summary>
    public async Task<TargetRecord> AddAsync(TargetAddRequest? request, string? by, CancellationToken cancellationToken)
    {
        var target = Validate(request, time.GetUtcNow(), by);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (target.Name == TargetNames.Local || _records.Any(r => r.Name == target.Name))
            {
                throw ProblemException.Conflict($"target {target.Name} exists (berth target ls): remove it first (berth target rm {target.Name}), or choose another name");
            }

            if (target.Kind == TargetKinds.Process && runtime.Name == TargetKinds.Process)
            {
                throw ProblemException.Invalid($"target {target.Name} was not added: this server's own runtime already runs processes: name target local");
            }

            if (await factory.ProblemAsync(target, cancellationToken).ConfigureAwait(false) is { } problem)
            {
                factory.Delete(target.Name);
                throw ProblemException.Invalid($"target {target.Name} was not added: {problem}");
            }

            var driver = factory.Create(target);
            try
            {
                await store.WriteAsync(
                    async tx =>
                    {
                        await tx.AddTargetAsync(target, cancellationToken).ConfigureAwait(false);
                        await events.AppendAsync(tx, "target.added", null, null, null, $"target {target.Name} added: {Describe(target)}", cancellationToken).ConfigureAwait(false);
                    },
                    cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await DisposeAsync(driver).ConfigureAwait(false);
                factory.Delete(target.Name);
                throw;
            }

            runtime.Attach(target.Name, driver);
            _records = [.. _records.Append(target).OrderBy(r => r.Name, StringComparer.Ordinal)];
            return target;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Forgets a target no replica runs on any more; refused (nothing changed) while one does.</summary>
    public async Task RemoveAsync(string name, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (name == TargetNames.Local)
            {
                throw ProblemException.Invalid("target local is the server's own runtime: it cannot be removed");
            }

            if (_records.All(r => r.Name != name))
            {
                throw ProblemException.NotFound($"no target {name}; targets: {string.Join(", ", _records.Select(r => r.Name).Prepend(TargetNames.Local))} (berth target ls)");
            }

            if (await ServicesOnAsync(name, cancellationToken).ConfigureAwait(false) is { Count: > 0 } services)
            {
                throw ProblemException.Conflict(
                    $"target {name} runs replicas of {string.Join(", ", services)}: remove those stacks (berth rm STACK) or deploy their environment to another target, and wait for the replicas to stop");
            }

            await store.WriteAsync(
                async tx =>
                {
                    await tx.DeleteTargetAsync(name, cancellationToken).ConfigureAwait(false);
                    await events.AppendAsync(tx, "target.removed", null, null, null, $"target {name} removed", cancellationToken).ConfigureAwait(false);
                },
                cancellationToken).ConfigureAwait(false);
            _records = [.. _records.Where(r => r.Name != name)];
            if (runtime.Detach(name) is { } driver)
            {
                await DisposeAsync(driver).ConfigureAwait(false);
            }

            factory.Delete(name);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var name in runtime.Targets.Keys.ToList())
        {
            if (runtime.Detach(name) is { } driver)
            {
                await DisposeAsync(driver).ConfigureAwait(false);
            }
        }

        _gate.Dispose();
    }

    /// <summary>
    /// The services with a replica on <paramref name="target"/>: one its runtime runs, or one the store holds live of a
    /// release made for it (a stack being removed, a rollout's other release, a target that does not answer now).
    /// </summary>
    private async Task<List<string>> ServicesOnAsync(string target, CancellationToken cancellationToken)
    {
        var on = new SortedSet<string>(StringComparer.Ordinal);
        if (runtime.Targets.TryGetValue(target, out var driver))
        {
            on.UnionWith(driver.Observe().Where(o => o.State != ReplicaRunState.Exited).Select(o => o.Service));
        }

        // Each release read once, however many live replicas it has.
        var live = (await store.GetReplicasAsync(null, cancellationToken).ConfigureAwait(false))
            .Where(r => r.IsLive && !on.Contains(r.Service))
            .Select(r => (r.Service, r.Release))
            .Distinct();
        foreach (var (service, release) in live)
        {
            if (await store.GetReleaseAsync(service, release, cancellationToken).ConfigureAwait(false) is { Spec.Target: { } t } && t == target)
            {
                on.Add(service);
            }
        }

        return [.. on];
    }

    /// <summary>What the target is, as <c>target ls</c> and the events say it.</summary>
    public static string Describe(TargetRecord target) => target.Kind == TargetKinds.Process
        ? "processes on the server's machine"
        : $"Docker Swarm at {target.Endpoint}{(target.Tls is null ? "" : " (mutual TLS)")}";

    private static async ValueTask DisposeAsync(IRuntimeDriver driver)
    {
        if (driver is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync().ConfigureAwait(false);
        }
        else if (driver is IDisposable plain)
        {
            plain.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Target {Target} cannot be used: {Reason}")]
    private static partial void LogUnusable(ILogger logger, string target, string reason);
}
