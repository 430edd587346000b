using Docker.DotNet;
using Models = Docker.DotNet.Models;

namespace Berth.Runtimes.Swarm;

public sealed partial class SwarmRuntimeDriver
{
    /// <summary>Node id → address replicas on it are reached at; refreshed when a task lands on an unknown node.</summary>
    private Dictionary<string, string> _nodeHosts = new(StringComparer.Ordinal);
    private string? _localNodeId;
    private bool _nodesKnown;
    private int _pollFailures;

    /// <summary>How long after an event of its container a replica whose task is not running yet is looked at every startup probe interval.</summary>
    private static readonly TimeSpan EventFollowUp = TimeSpan.FromSeconds(3);

    private static readonly IReadOnlySet<string> NoContainers = new HashSet<string>();

    /// <summary>
    /// Looks at the tasks of Berth's services and folds them into observations until the driver is disposed: the
    /// services events name at once (see the Events part), the replicas whose next look is due (a task not running
    /// yet, a port not answering yet, an HTTP probe due), and everything every resync.
    /// </summary>
    private async Task WatchAsync(CancellationToken cancellationToken)
    {
        var nextFullLook = DateTimeOffset.MinValue;
        while (!cancellationToken.IsCancellationRequested)
        {
            var now = _time.GetUtcNow();
            var full = now >= nextFullLook || _nodesChanged;
            try
            {
                if (full)
                {
                    if (_nodesChanged)
                    {
                        // A node joined, left, changed address or availability: read the nodes again in this look.
                        _nodesChanged = false;
                        _nodesKnown = false;
                    }

                    TakeChangedServices();
                    await PollAsync(cancellationToken).ConfigureAwait(false);
                    nextFullLook = now + (_eventsLive ? _options.ResyncInterval : _options.PollInterval);
                }
                else
                {
                    // Replicas due within the next startup interval join this look: one task listing for a deploy's
                    // replicas rather than one each, a few milliseconds apart.
                    var changed = TakeChangedServices();
                    var horizon = now + _options.StartupProbeInterval;
                    var due = _replicas.Values.Where(r => r.ServiceId is { } id && (changed.ContainsKey(id) || NextLookAt(r) <= horizon)).ToList();
                    foreach (var replica in due.Where(r => changed.GetValueOrDefault(r.ServiceId!)))
                    {
                        replica.ContainerEventAt = now;
                    }

                    var probeOnly = due.Where(r => !changed.ContainsKey(r.ServiceId!) && OnlyItsProbeIsDue(r)).ToList();
                    var listed = due.Except(probeOnly).ToList();
                    if (listed.Count > 0)
                    {
                        await PollAsync(listed, cancellationToken).ConfigureAwait(false);
                    }

                    if (probeOnly.Count > 0)
                    {
                        await ProbeAsync(probeOnly, cancellationToken).ConfigureAwait(false);
                    }
                }

                _pollFailures = 0;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is DockerApiException or HttpRequestException or IOException or TimeoutException or OperationCanceledException)
            {
                // The engine restarting or slow: keep the last observations and say so once in a while.
                if (_pollFailures++ % 20 == 0)
                {
                    SwarmRuntimeLog.PollFailed(_logger, e.GetBaseException().Message);
                }

                nextFullLook = _time.GetUtcNow() + _options.PollInterval;
            }

            var wake = _replicas.Values.Select(NextLookAt).Append(nextFullLook).Min();
            await SleepUntilAsync(wake, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// When a replica must be looked at again though no event may come: its task is not running yet (pending, being
    /// pulled, rejected: no container, no event) or may have ended, or its port is not answering yet, or its HTTP
    /// probe is due. A settled replica waits for events and the resync.
    /// </summary>
    private DateTimeOffset NextLookAt(SwarmReplica replica)
    {
        if (replica.Stopping || replica.ServiceId is null || replica.Current.State == ReplicaRunState.Exited)
        {
            return DateTimeOffset.MaxValue;
        }

        if (replica.ContainerId is null || replica.EndedPolls > 0 || replica.UnschedulableSince is not null)
        {
            // Swarm's manager records a task's new state a moment after its container's event (a healthcheck passing,
            // a start): after such an event, look again soon rather than wait for the poll. (Not after a service's own
            // events: a new service's tasks take a second or more to get a container, and listing them every 100 ms
            // meanwhile took CPU from the containers starting.)
            var soon = replica.LookedAt - replica.ContainerEventAt < EventFollowUp;
            return replica.LookedAt + (soon ? _options.StartupProbeInterval : _options.PollInterval);
        }

        return replica.Launch.Health.HttpPath is null && replica.ProbePassed ? DateTimeOffset.MaxValue : replica.NextProbeAt;
    }

    /// <summary>One look at Swarm: every tracked replica's tasks become a new observation; changes are announced.</summary>
    internal Task PollAsync(CancellationToken cancellationToken) =>
        PollAsync(_replicas.Values.ToList(), cancellationToken);

    /// <summary>One look at these replicas' tasks (a task listing filtered by their services).</summary>
    private async Task PollAsync(IReadOnlyCollection<SwarmReplica> candidates, CancellationToken cancellationToken)
    {
        var replicas = candidates.Where(r => !r.Stopping && r.ServiceId is not null && r.Current.State != ReplicaRunState.Exited).ToList();
        if (replicas.Count == 0)
        {
            return;
        }

        var (services, listed) = await ListTasksOfExistingServicesAsync(replicas, cancellationToken).ConfigureAwait(false);
        var tasks = listed.ToLookup(t => t.ServiceID, StringComparer.Ordinal);
        if (tasks.SelectMany(g => g).Any(t => t.NodeID is { } node && !_nodeHosts.ContainsKey(node)) || !_nodesKnown)
        {
            await RefreshNodesAsync(cancellationToken).ConfigureAwait(false);
        }

        // Only a container's own healthcheck can turn it unhealthy while its task stays running; a replica with no
        // container known yet (starting: its healthcheck has not run out of retries) is checked from its next look on.
        var unhealthy = replicas.Any(r => r.HasContainerHealthcheck && r.ContainerId is not null)
            ? await UnhealthyContainersAsync(cancellationToken).ConfigureAwait(false)
            : NoContainers;
        var updates = replicas.Select(replica => services.Contains(replica.ServiceId!)
            ? ObserveAsync(replica, replica.LastReading = SwarmTaskReading.Read(tasks[replica.ServiceId!], HostOf), unhealthy, cancellationToken)
            : Task.FromResult(replica.Current with
            {
                State = ReplicaRunState.Exited,
                Health = ReplicaHealth.None,
                ExitedAt = _time.GetUtcNow(),
                Message = $"the Swarm service {replica.ServiceName} was removed outside Berth",
            }));
        var observed = await Task.WhenAll(updates).ConfigureAwait(false);
        var lookedAt = _time.GetUtcNow();
        foreach (var replica in replicas)
        {
            replica.LookedAt = lookedAt;
        }

        Publish(replicas, observed);
    }

    /// <summary>Announces each replica whose observation changed (one the driver is stopping is left alone).</summary>
    private void Publish(IReadOnlyList<SwarmReplica> replicas, IReadOnlyList<ReplicaObservation> observed)
    {
        for (var i = 0; i < replicas.Count; i++)
        {
            var replica = replicas[i];
            if (replica.Stopping || observed[i] == replica.Current)
            {
                continue;
            }

            replica.Current = observed[i];
            SwarmRuntimeLog.Changed(_logger, replica.Launch.ReplicaId, observed[i].State, observed[i].Health, observed[i].Endpoint);
            ReplicaChanged?.Invoke(observed[i]);
        }
    }

    /// <summary>
    /// The tasks of these replicas' services, and which of those services still exist. One task listing as a rule; the
    /// engine refuses a task filter naming a service that no longer exists (removed outside Berth), and only then are
    /// the services listed first, to ask for the tasks of the ones left.
    /// </summary>
    private async Task<(IReadOnlySet<string> Services, IList<Models.TaskResponse> Tasks)> ListTasksOfExistingServicesAsync(
        List<SwarmReplica> replicas, CancellationToken cancellationToken)
    {
        var ids = replicas.Select(r => r.ServiceId!).ToHashSet(StringComparer.Ordinal);
        try
        {
            return (ids, await ListTasksAsync(ids, cancellationToken).ConfigureAwait(false));
        }
        catch (DockerApiException e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            var services = (await _docker.Swarm.ListServicesAsync(
                    new Models.ServiceListParameters { Filters = ServicesFilter(replicas) }, cancellationToken).ConfigureAwait(false))
                .Select(s => s.ID)
                .ToHashSet(StringComparer.Ordinal);
            return (services, await ListTasksAsync(ids.Where(services.Contains), cancellationToken).ConfigureAwait(false));
        }
    }

    /// <summary>Berth's services, narrowed to these replicas' when they are a few (a task filter naming a removed service is refused).</summary>
    private static IDictionary<string, IDictionary<string, bool>> ServicesFilter(List<SwarmReplica> replicas)
    {
        var filter = LabelFilter(SwarmLabels.Replica);
        if (replicas.Count <= 50)
        {
            filter["id"] = replicas.Select(r => r.ServiceId!).Distinct(StringComparer.Ordinal).ToDictionary(id => id, _ => true, StringComparer.Ordinal);
        }

        return filter;
    }

    /// <summary>Containers of Berth replicas on this node whose healthcheck currently fails (task status does not say).</summary>
    private async Task<IReadOnlySet<string>> UnhealthyContainersAsync(CancellationToken cancellationToken)
    {
        var containers = await _docker.Containers.ListContainersAsync(
            new Models.ContainersListParameters
            {
                Filters = new Dictionary<string, IDictionary<string, bool>>
                {
                    ["label"] = new Dictionary<string, bool> { [SwarmLabels.Replica] = true },
                    ["health"] = new Dictionary<string, bool> { ["unhealthy"] = true },
                },
            },
            cancellationToken).ConfigureAwait(false);
        return containers.Select(c => c.ID).ToHashSet(StringComparer.Ordinal);
    }

    private async Task<IList<Models.TaskResponse>> ListTasksAsync(IEnumerable<string> serviceIds, CancellationToken cancellationToken)
    {
        var filter = serviceIds.Distinct(StringComparer.Ordinal).ToDictionary(id => id, _ => true, StringComparer.Ordinal);
        return filter.Count == 0
            ? []
            : await _docker.Tasks.ListAsync(
                new Models.TasksListParameters { Filters = new Dictionary<string, IDictionary<string, bool>> { ["service"] = filter } },
                cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The replica's task is over for good (ended, rejected or unplaceable): no container, no endpoint.</summary>
    private ReplicaObservation Exited(SwarmReplica replica, ReplicaObservation current, int? exitCode, string? message)
    {
        replica.ContainerId = null;
        return current with
        {
            State = ReplicaRunState.Exited,
            Health = ReplicaHealth.None,
            Endpoint = null,
            ExitedAt = current.ExitedAt ?? _time.GetUtcNow(),
            ExitCode = exitCode,
            Message = message,
        };
    }

    /// <summary>Turns a task reading into an observation, probing a running task until it answers.</summary>
    private async Task<ReplicaObservation> ObserveAsync(SwarmReplica replica, SwarmTaskReading reading, IReadOnlySet<string> unhealthy, CancellationToken cancellationToken)
    {
        var current = replica.Current;
        var checks = replica.HasContainerHealthcheck || replica.Launch.Health.HttpPath is not null;
        replica.EndedPolls = reading.Phase == SwarmTaskPhase.Ended ? replica.EndedPolls + 1 : 0;
        replica.UnschedulableSince = reading.Phase == SwarmTaskPhase.Unschedulable ? replica.UnschedulableSince ?? _time.GetUtcNow() : null;
        switch (reading.Phase)
        {
            case SwarmTaskPhase.Unschedulable when _time.GetUtcNow() - replica.UnschedulableSince >= _options.UnschedulableGrace:
                return Exited(replica, current, RefusedExitCode, await UnschedulableMessageAsync(replica, reading.Message, cancellationToken).ConfigureAwait(false));
            case SwarmTaskPhase.Rejected:
            case SwarmTaskPhase.Ended when replica.EndedPolls >= 2:
                return Exited(
                    replica,
                    current,
                    reading.Phase == SwarmTaskPhase.Rejected ? RefusedExitCode : reading.ExitCode,
                    reading.Phase == SwarmTaskPhase.Rejected
                        && replica.Launch.Spec?.Image is { } image && SwarmRegistryAuth.PullHint(image, reading.Message) is { } hint
                        ? $"{reading.Message}; {hint}"
                        : reading.Message);
            case SwarmTaskPhase.Running:
                break;
            default:
                replica.ContainerId = null;
                replica.ResetProbe(null);
                return current with
                {
                    State = ReplicaRunState.Starting,
                    Health = checks ? ReplicaHealth.Starting : ReplicaHealth.None,
                    Endpoint = null,
                    Port = null,
                    Message = reading.Message ?? "waiting for Swarm to start the task",
                };
        }

        replica.ContainerId = reading.ContainerId;
        replica.NodeId = reading.NodeId;
        if (replica.ProbedTaskId != reading.TaskId)
        {
            replica.ResetProbe(reading.TaskId);
        }

        var running = current with { State = ReplicaRunState.Running, Endpoint = reading.Endpoint, Port = reading.Port, Message = null };
        if (reading.Endpoint is null)
        {
            // No published port: nothing to route to or probe; Swarm's own view (and healthcheck) is all there is.
            return running with { Health = replica.HasContainerHealthcheck ? ReplicaHealth.Healthy : ReplicaHealth.None };
        }

        // Swarm replaces a container whose healthcheck turned unhealthy, but only after it stops it; out of the router now.
        replica.ContainerUnhealthy = reading.ContainerId is { } container && unhealthy.Contains(container);
        if (replica.ContainerUnhealthy)
        {
            return running with { Health = ReplicaHealth.Unhealthy, Message = "the container's healthcheck reports unhealthy" };
        }

        await ProbeIfDueAsync(replica, reading.Endpoint, cancellationToken).ConfigureAwait(false);
        var health = replica.Launch.Health;
        if (health.HttpPath is not null)
        {
            return running with
            {
                Health = replica.ProbePassed
                    ? replica.ProbeFailures >= Math.Max(1, health.Retries) ? ReplicaHealth.Unhealthy : ReplicaHealth.Healthy
                    : ReplicaHealth.Starting,
                Message = replica.ProbeFailures > 0 ? replica.ProbeMessage : null,
            };
        }

        // A task is "running" before its app listens: it is ready once its port accepts a connection.
        return replica.ProbePassed
            ? running with { Health = replica.HasContainerHealthcheck ? ReplicaHealth.Healthy : ReplicaHealth.None }
            : running with
            {
                State = ReplicaRunState.Starting,
                Health = replica.HasContainerHealthcheck ? ReplicaHealth.Starting : ReplicaHealth.None,
                Message = replica.ProbeMessage ?? "waiting for the task's port to accept connections",
            };
    }

    private string? HostOf(string? nodeId) =>
        nodeId is null ? null
        : nodeId == _localNodeId && !(_options.LocalTasksAtNodeAddress && _nodeHosts.ContainsKey(nodeId)) ? _options.LocalAddress
        : _nodeHosts.GetValueOrDefault(nodeId);

    private async Task RefreshNodesAsync(CancellationToken cancellationToken)
    {
        await LookUpLocalNodeAsync(cancellationToken).ConfigureAwait(false);

        var nodes = await _docker.Swarm.ListNodesAsync(cancellationToken).ConfigureAwait(false);
        _nodeHosts = nodes.Where(n => n.Status?.Addr is { Length: > 0 })
            .ToDictionary(n => n.ID, n => n.Status!.Addr!, StringComparer.Ordinal);
        _nodesKnown = true;
    }
}
