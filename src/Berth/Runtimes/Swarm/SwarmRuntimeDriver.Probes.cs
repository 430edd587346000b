using System.Net.Sockets;

namespace Berth.Runtimes.Swarm;

/// <summary>
/// Berth's own readiness probes of Swarm tasks (through the published port its router reaches). A local replica whose
/// task listing cannot have changed unannounced is probed without listing its tasks again: its container's start,
/// end and health changes arrive as events (<see cref="SwarmEngineEvent"/>), which list it at once. Before, every
/// probe (every 100 ms while a replica starts, every healthcheck interval afterwards) listed services, tasks and
/// unhealthy containers first.
/// </summary>
public sealed partial class SwarmRuntimeDriver
{
    /// <summary>
    /// A replica running on this node, seen running at its last listing, while the event stream is live: what it
    /// needs now is a probe, not a listing (a task on another node has no container events here: it is listed).
    /// </summary>
    private bool OnlyItsProbeIsDue(SwarmReplica replica) =>
        _eventsLive
        && replica.LastReading is { Phase: SwarmTaskPhase.Running, Endpoint: not null } reading
        && reading.ContainerId == replica.ContainerId
        && replica.EndedPolls == 0
        && replica.UnschedulableSince is null
        && _localNodeId is not null && replica.NodeId == _localNodeId;

    /// <summary>Probes these replicas and folds the results into their last task reading.</summary>
    private async Task ProbeAsync(IReadOnlyList<SwarmReplica> replicas, CancellationToken cancellationToken)
    {
        var observed = await Task.WhenAll(replicas.Select(replica => ObserveAsync(
            replica,
            replica.LastReading!,
            replica.ContainerUnhealthy ? new HashSet<string>([replica.ContainerId!], StringComparer.Ordinal) : NoContainers,
            cancellationToken))).ConfigureAwait(false);
        Publish(replicas, observed);
    }

    private async Task ProbeIfDueAsync(SwarmReplica replica, string endpoint, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var health = replica.Launch.Health;
        if (now < replica.NextProbeAt || (health.HttpPath is null && replica.ProbePassed))
        {
            return;
        }

        var error = health.HttpPath is { } path
            ? await ProbeHttpAsync(endpoint, path, cancellationToken).ConfigureAwait(false)
            : await ProbeTcpAsync(endpoint, cancellationToken).ConfigureAwait(false);
        if (error is null)
        {
            replica.ProbePassed = true;
            replica.ProbeFailures = 0;
            replica.ProbeMessage = null;
        }
        else
        {
            replica.ProbeFailures++;
            replica.ProbeMessage = error;
        }

        // Until it first passes, again soon; afterwards at the healthcheck's interval.
        replica.NextProbeAt = replica.ProbePassed ? now + health.Interval : now + _options.StartupProbeInterval;
    }

    private async Task<string?> ProbeHttpAsync(string endpoint, string path, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _probeClient.GetAsync(new Uri($"http://{endpoint}{path}"), cancellationToken).ConfigureAwait(false);
            var code = (int)response.StatusCode;
            return code is >= 200 and < 400 ? null : $"GET {path} answered {code}";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return $"GET {path} failed: {e.GetBaseException().Message}";
        }
    }

    private async Task<string?> ProbeTcpAsync(string endpoint, CancellationToken cancellationToken)
    {
        var colon = endpoint.LastIndexOf(':');
        using var client = new TcpClient();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.ProbeTimeout);
        try
        {
            await client.ConnectAsync(endpoint[..colon], int.Parse(endpoint[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture), timeout.Token).ConfigureAwait(false);
            return null;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return $"port {endpoint} does not accept connections yet";
        }
    }
}
