using System.Collections.Concurrent;
using System.Net;
using Berth.Api;
using Docker.DotNet;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Models = Docker.DotNet.Models;

namespace Berth.Runtimes.Swarm;

/// <summary>
/// Runs each Berth replica as one Docker Swarm service with <c>replicas: 1</c>. Berth chooses which replica starts,
/// leaves and is drained first (rolling, blue/green, canary); Swarm places the task, restarts its container per the
/// restart policy, moves it off drained nodes, and provides secrets and the stack's overlay network.
/// Endpoints come from the tasks' host-mode published ports. See docs/concepts/swarm-runtime.md.
/// </summary>
public sealed partial class SwarmRuntimeDriver : IRuntimeDriver, IAsyncDisposable
{
    /// <summary>Exit code reported for a replica the engine refused to run at all (like docker run's 125).</summary>
    private const int RefusedExitCode = 125;

    private readonly SwarmRuntimeOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<SwarmRuntimeDriver> _logger;
    private readonly DockerClient _docker;
    private readonly SwarmStackResources _resources;
    private readonly SwarmRegistryAuth _registryAuth;
    private readonly ReplicaTable<SwarmReplica> _replicas = new(r => r.Launch.Service);
    private readonly ConcurrentDictionary<Task, byte> _removals = new();
    private readonly HttpClient _probeClient;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _watcher;
    private readonly Task _events;
    private int _disposed;

    public SwarmRuntimeDriver(IOptions<SwarmRuntimeOptions> options, TimeProvider time, ILogger<SwarmRuntimeDriver> logger, Images.RegistryLoginStore? registryLogins = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        if (_options.PollInterval <= TimeSpan.Zero || _options.ProbeTimeout <= TimeSpan.Zero || _options.ResyncInterval <= TimeSpan.Zero || _options.StartupProbeInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException("SwarmRuntimeOptions.PollInterval, ResyncInterval, StartupProbeInterval and ProbeTimeout must be positive", nameof(options));
        }

        _docker = SwarmDockerClient.Create(_options);
        _resources = new SwarmStackResources(_docker, _logger, _options.Owner);
        _registryAuth = new SwarmRegistryAuth(_docker, _time, registryLogins);
        _probeClient = new HttpClient(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.FromSeconds(30) })
        {
            Timeout = _options.ProbeTimeout,
        };
        _watcher = Task.Run(() => WatchAsync(_stopping.Token));
        _events = Task.Run(() => FollowEventsAsync(_stopping.Token));
    }

    public string Name => "swarm";

    public event Action<ReplicaObservation>? ReplicaChanged;

    public async Task<ReplicaObservation> StartAsync(ReplicaLaunch launch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(launch);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (_replicas.TryGetValue(launch.ReplicaId, out var existing) && existing.Current.State != ReplicaRunState.Exited)
        {
            throw new InvalidOperationException($"replica {launch.ReplicaId} is already running");
        }

        var name = SwarmNames.ServiceOf(launch);
        var replica = new SwarmReplica(launch, name, InitialObservation(launch));
        if (launch.Spec?.Image is null)
        {
            return Refused(replica, $"service {launch.Service} has no image: the swarm runtime runs images");
        }

        try
        {
            replica.ServiceId = await CreateServiceAsync(launch, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerApiException e) when (IsMissingNetwork(e))
        {
            // The stack's network was removed meanwhile (its last replica stopped, or by hand): make it again, once.
            _resources.ForgetNetwork(StackOf(launch));
            try
            {
                replica.ServiceId = await CreateServiceAsync(launch, cancellationToken).ConfigureAwait(false);
            }
            catch (DockerApiException again)
            {
                return Refused(replica, $"Swarm refused service {name}: {ErrorOf(again)}");
            }
        }
        catch (DockerApiException e)
        {
            return Refused(replica, $"Swarm refused service {name}: {ErrorOf(e)}");
        }
        catch (SwarmStartException e)
        {
            return Refused(replica, e.Message);
        }

        Track(replica);
        SwarmRuntimeLog.ServiceCreated(_logger, name, launch.ReplicaId, launch.Service, launch.Release);
        return replica.Current;
    }

    public Task StopAsync(string replicaId, TimeSpan gracePeriod, CancellationToken cancellationToken) =>
        StopAsync(replicaId, gracePeriod, waitForExit: true, cancellationToken);

    /// <summary>
    /// Removes the replica's Swarm service and returns: Swarm stops its container with the stop_grace_period of the
    /// task spec (SIGTERM, then SIGKILL), as for a task its updater replaced. The stack's last replica is waited for
    /// (its network and secrets go with it).
    /// </summary>
    public Task RetireAsync(string replicaId, TimeSpan gracePeriod, CancellationToken cancellationToken) =>
        StopAsync(replicaId, gracePeriod, waitForExit: false, cancellationToken);

    private async Task StopAsync(string replicaId, TimeSpan gracePeriod, bool waitForExit, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        _replicas.TryGetValue(replicaId, out var replica);
        var service = replica?.ServiceId ?? (await FindServiceAsync(replicaId, cancellationToken).ConfigureAwait(false))?.ID;
        if (replica is not null)
        {
            replica.Stopping = true;
        }

        var last = replica is null || IsLastLiveOfItsStack(replica);
        if (service is not null)
        {
            // Swarm sends the stop signal, waits the stop_grace_period given at creation, then SIGKILL.
            await RemoveServiceAsync(service, cancellationToken).ConfigureAwait(false);
            SwarmRuntimeLog.ServiceRemoved(_logger, replica?.ServiceName ?? service, replicaId);
            // Retired (nobody waits, and not the stack's last): Swarm winds the task down within its grace period.
            if (waitForExit || last)
            {
                if (replica?.ContainerId is { } container)
                {
                    await StopLocalContainerAsync(container, gracePeriod, cancellationToken).ConfigureAwait(false);
                }

                await WaitForTasksGoneAsync(service, gracePeriod + _options.StopSlack, cancellationToken).ConfigureAwait(false);
            }
        }

        if (replica is not null)
        {
            replica.Current = replica.Current with
            {
                State = ReplicaRunState.Exited,
                Health = ReplicaHealth.None,
                ExitedAt = _time.GetUtcNow(),
                Message = "stopped by Berth (Swarm service removed)",
            };

            // The stack's last replica gone (`berth rm`, or scaled to 0): its overlay network goes too, as with docker stack rm.
            if (IsLastLiveOfItsStack(replica))
            {
                await _resources.RemoveStackResourcesAsync(StackOf(replica.Launch), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>No other replica of the same stack is still live (the stack's network and secrets are its alone).</summary>
    private bool IsLastLiveOfItsStack(SwarmReplica replica)
    {
        var stack = StackOf(replica.Launch);
        return !_replicas.Values.Any(r => r != replica && StackOf(r.Launch) == stack && r.Current.State != ReplicaRunState.Exited);
    }

    private async Task<string?> CreateServiceAsync(ReplicaLaunch launch, CancellationToken cancellationToken)
    {
        var network = await _resources.EnsureNetworkAsync(StackOf(launch), cancellationToken).ConfigureAwait(false);
        var secrets = await _resources.EnsureSecretsAsync(launch, cancellationToken).ConfigureAwait(false);
        var spec = SwarmServiceSpecBuilder.Build(launch, network, secrets);
        if (_options.Owner is { Length: > 0 } owner)
        {
            spec.Labels[SwarmLabels.Owner] = owner;
        }

        var parameters = new Models.ServiceCreateParameters { Service = spec };
        if (await _registryAuth.ForImageAsync(launch.Service, launch.Spec!.Image!, cancellationToken).ConfigureAwait(false) is { } auth)
        {
            parameters.RegistryAuth = auth;
        }

        var created = await _docker.Swarm.CreateServiceAsync(parameters, cancellationToken).ConfigureAwait(false);
        return created.ID;
    }

    private static string StackOf(ReplicaLaunch launch) => launch.Stack ?? launch.Service;

    private static bool IsMissingNetwork(DockerApiException exception) =>
        ErrorOf(exception) is var message
        && message.Contains("network", StringComparison.OrdinalIgnoreCase)
        && message.Contains("not found", StringComparison.OrdinalIgnoreCase);

    public async Task KillAsync(string replicaId, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (!_replicas.TryGetValue(replicaId, out var replica) || replica.ContainerId is not { } container || replica.Current.State == ReplicaRunState.Exited)
        {
            throw new RuntimeRefusedException(RuntimeRefusal.NotPossible, $"replica {replicaId} has no running Swarm task to kill");
        }

        try
        {
            await _docker.Containers.KillContainerAsync(container, new Models.ContainerKillParameters { Signal = "KILL" }, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerContainerNotFoundException)
        {
            throw new RuntimeRefusedException(
                RuntimeRefusal.NotPossible,
                $"replica {replicaId} runs on node {replica.NodeId}, not on the server's own engine: Berth can only kill tasks on its own node");
        }
    }

    public IReadOnlyList<ReplicaObservation> Observe() => _replicas.Values.Select(r => r.Current).ToArray();

    public IReadOnlyList<ReplicaObservation> Observe(string service) => _replicas.Of(service).Select(r => r.Current).ToArray();

    public void Forget(string replicaId)
    {
        if (_replicas.TryGetValue(replicaId, out var replica) && replica.Current.State == ReplicaRunState.Exited
            && _replicas.TryRemove(replicaId, replica)
            && !replica.Stopping && replica.ServiceId is { } service)
        {
            // A refused or finished replica's service would otherwise stay (and a refused one keep retrying).
            var removal = RemoveServiceAsync(service, CancellationToken.None);
            _removals.TryAdd(removal, 0);
            _ = removal.ContinueWith(t => _removals.TryRemove(t, out _), TaskScheduler.Default);
        }
    }

    /// <summary>Stops watching; the Swarm services keep running and the next server run adopts them.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll([_watcher, _events, .. _removals.Keys]).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or DockerApiException)
        {
            // Loops end by cancellation; a failed best-effort removal is not worth failing shutdown.
        }

        _probeClient.Dispose();
        _docker.Dispose();
        _stopping.Dispose();
    }

    private ReplicaObservation InitialObservation(ReplicaLaunch launch) => new()
    {
        ReplicaId = launch.ReplicaId,
        Service = launch.Service,
        Release = launch.Release,
        Slot = launch.Slot,
        State = ReplicaRunState.Starting,
        Health = ReplicaHealth.Starting,
        StartedAt = _time.GetUtcNow(),
        Message = "waiting for Swarm to schedule the task",
    };

    private ReplicaObservation Refused(SwarmReplica replica, string reason)
    {
        replica.Current = replica.Current with
        {
            State = ReplicaRunState.Exited,
            Health = ReplicaHealth.None,
            ExitedAt = _time.GetUtcNow(),
            ExitCode = RefusedExitCode,
            Message = reason,
        };
        Track(replica);
        SwarmRuntimeLog.StartFailed(_logger, replica.Launch.ReplicaId, replica.Launch.Service, reason);
        return replica.Current;
    }

    /// <summary>Watched from now on; the watcher wakes to look at it (a new replica's task is due at once).</summary>
    private void Track(SwarmReplica replica)
    {
        _replicas.Set(replica.Launch.ReplicaId, replica);
        Wake();
    }

    private async Task RemoveServiceAsync(string service, CancellationToken cancellationToken)
    {
        try
        {
            await _docker.Swarm.RemoveServiceAsync(service, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            // Already gone: what we wanted.
        }
    }

    /// <summary>
    /// Stops a removed service's container on this node at once (SIGTERM, SIGKILL after the grace period): Swarm's agent
    /// takes seconds to act on a removal on a busy node, and a rolling update waits for each stop. Best effort: a task on
    /// another node (not this engine's container) or one already stopped is left to Swarm.
    /// </summary>
    private async Task StopLocalContainerAsync(string container, TimeSpan gracePeriod, CancellationToken cancellationToken)
    {
        try
        {
            await _docker.Containers.StopContainerAsync(
                container,
                new Models.ContainerStopParameters { WaitBeforeKillSeconds = (uint)Math.Ceiling(Math.Max(0, gracePeriod.TotalSeconds)) },
                cancellationToken).ConfigureAwait(false);
        }
        catch (DockerApiException)
        {
            // Not on this node, or already stopped and removed by Swarm.
        }
    }

    /// <summary>Waits until no task of the removed service has a container left running (bounded).</summary>
    private async Task WaitForTasksGoneAsync(string serviceId, TimeSpan bound, CancellationToken cancellationToken)
    {
        var deadline = _time.GetUtcNow() + bound;
        while (_time.GetUtcNow() < deadline)
        {
            var tasks = await _docker.Tasks.ListAsync(cancellationToken).ConfigureAwait(false);
            var containers = await _docker.Containers.ListContainersAsync(
                new Models.ContainersListParameters { Filters = LabelFilter("com.docker.swarm.service.id=" + serviceId) },
                cancellationToken).ConfigureAwait(false);
            if (!tasks.Any(t => t.ServiceID == serviceId && t.Status?.State <= Models.TaskState.Running) && containers.Count == 0)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private static Dictionary<string, IDictionary<string, bool>> LabelFilter(string label) =>
        new() { ["label"] = new Dictionary<string, bool> { [label] = true } };

    /// <summary>The engine's own message from an API error body ({"message": "..."}), else the exception's.</summary>
    internal static string ErrorOf(DockerApiException exception)
    {
        try
        {
            using var body = System.Text.Json.JsonDocument.Parse(exception.ResponseBody ?? "");
            if (body.RootElement.TryGetProperty("message", out var message) && message.GetString() is { Length: > 0 } text)
            {
                return text;
            }
        }
        catch (System.Text.Json.JsonException)
        {
        }

        return exception.Message;
    }
}
