namespace Berth.Runtimes.Process;

/// <summary>Adopting after a restart: the replicas a previous server started, recognised by pid and start time.</summary>
public sealed partial class ProcessRuntimeDriver
{
    public async Task<ReplicaObservation?> AdoptAsync(ReplicaHandle handle, ReplicaLaunch launch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handle);
        ArgumentNullException.ThrowIfNull(launch);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (_replicas.TryGetValue(handle.ReplicaId, out var known) && !known.HasExited)
        {
            return known.Current;
        }

        if (handle.Pid is null)
        {
            // The server stopped between recording the replica and recording its pid: a process may run that no
            // store knows. Found by its log and BERTH_REPLICA_ID (as after a restore) and stopped: it never served.
            var started = OrphanReplicas.Find(_options.RuntimeDirectory, id => id == handle.ReplicaId);
            await OrphanReplicas.StopAsync(started, TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
            foreach (var (orphan, _) in started)
            {
                ProcessRuntimeLog.UnrecordedStopped(_logger, handle.ReplicaId, orphan);
            }
        }

        var stat = handle.Pid is { } pid ? LinuxProcessStat.TryRead(pid) : null;
        var refusal = handle.Pid is null || handle.ProcessStartTicks is null ? "the handle has no pid or start time"
            : stat is null ? "the process is gone"
            : stat.IsZombie ? "the process has exited"
            : stat.StartTicks != handle.ProcessStartTicks ? "the pid now belongs to another process"
            : null;
        if (refusal is not null)
        {
            ProcessRuntimeLog.AdoptionRefused(_logger, handle.ReplicaId, handle.Pid, refusal);
            _secretFiles.Remove(handle.ReplicaId);
            return null;
        }

        // Written again in case the directory went meanwhile (the process may read its secrets late); same contents.
        _secretFiles.Write(launch);

        // A port another live replica already holds stays theirs: this one must not release it on exit.
        var ownsPort = handle.Port is { } port && _ports.TryReserve(port);
        var now = _time.GetUtcNow();
        var startedAt = stat!.Age() is { } age ? now - age : now;
        var variables = ReplicaVariables.For(launch, handle.Port, _secretFiles.DirectoryOf(launch), ServiceDataFolders.Ensure(_options.RuntimeDirectory, launch.Service));
        var wasHealthy = !launch.Health.IsNone && handle.LastHealth == ReplicaHealth.Healthy;
        var replica = new ProcessReplica(
            new ReplicaObservation
            {
                ReplicaId = handle.ReplicaId,
                Service = launch.Service,
                Release = launch.Release,
                Slot = launch.Slot,
                State = launch.Health.IsNone || wasHealthy ? ReplicaRunState.Running : ReplicaRunState.Starting,
                Health = launch.Health.IsNone ? ReplicaHealth.None : wasHealthy ? ReplicaHealth.Healthy : ReplicaHealth.Starting,
                Pid = stat.Pid,
                Port = handle.Port,
                Endpoint = handle.Port is { } p ? $"{_options.BindAddress}:{p}" : null,
                ProcessStartTicks = stat.StartTicks,
                LogPath = handle.LogPath ?? LogPathOf(handle.ReplicaId),
                StartedAt = startedAt,
            },
            launch, variables, variables.Environment(launch.Environment), isChild: false, _stopping.Token)
        {
            ProcessGroupId = stat.ProcessGroupId,
            OwnsPort = ownsPort,
        };
        Track(replica);
        ProcessRuntimeLog.ReplicaAdopted(_logger, handle.ReplicaId, launch.Service, stat.Pid, handle.Port);
        StartHealthLoop(replica, startedAt, wasHealthy);
        return replica.Current;
    }
}
