using Models = Docker.DotNet.Models;

namespace Berth.Runtimes.Swarm;

/// <summary>A server's next run takes over the Swarm services of its replicas, found by their berth.replica label.</summary>
public sealed partial class SwarmRuntimeDriver
{
    public async Task<ReplicaObservation?> AdoptAsync(ReplicaHandle handle, ReplicaLaunch launch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handle);
        ArgumentNullException.ThrowIfNull(launch);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (_replicas.TryGetValue(handle.ReplicaId, out var known) && known.Current.State != ReplicaRunState.Exited)
        {
            return known.Current;
        }

        var service = await FindServiceAsync(handle.ReplicaId, cancellationToken).ConfigureAwait(false);
        if (service is null)
        {
            return null;
        }

        var replica = new SwarmReplica(launch, service.Spec?.Name ?? service.ID, AdoptedObservation(handle, launch)) { ServiceId = service.ID };
        Track(replica);
        SwarmRuntimeLog.Adopted(_logger, handle.ReplicaId, replica.ServiceName);
        return replica.Current;
    }

    /// <summary>
    /// A replica recorded healthy keeps serving at its endpoint until the watcher's first look (a moment later) says
    /// otherwise: a server restart must not take it out of its router's pool meanwhile.
    /// </summary>
    private ReplicaObservation AdoptedObservation(ReplicaHandle handle, ReplicaLaunch launch) =>
        handle is { LastHealth: ReplicaHealth.Healthy, LastEndpoint: { } endpoint }
            ? InitialObservation(launch) with
            {
                State = ReplicaRunState.Running,
                Health = ReplicaHealth.Healthy,
                Endpoint = endpoint,
                Port = handle.Port,
                Message = null,
            }
            : InitialObservation(launch);

    private async Task<Models.SwarmService?> FindServiceAsync(string replicaId, CancellationToken cancellationToken)
    {
        var services = await _docker.Swarm.ListServicesAsync(
            new Models.ServiceListParameters { Filters = LabelFilter(SwarmLabels.Replica + "=" + replicaId) },
            cancellationToken).ConfigureAwait(false);
        return services.FirstOrDefault(s => s.Spec?.Labels is { } labels && labels.TryGetValue(SwarmLabels.Replica, out var id) && id == replicaId);
    }
}
