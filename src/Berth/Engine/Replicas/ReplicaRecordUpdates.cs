using Berth.Runtimes;
using Berth.Store;

namespace Berth.Engine.Replicas;

/// <summary>Folds a runtime observation into a stored replica record (a new record; the old one is not changed).</summary>
public static class ReplicaRecordUpdates
{
    public static ReplicaRecord WithObservation(this ReplicaRecord record, ReplicaObservation observation) => record with
    {
        State = observation.State switch
        {
            ReplicaRunState.Starting => ReplicaStates.Starting,
            ReplicaRunState.Running => ReplicaStates.Running,
            _ => record.DesiredState == DesiredStates.Shutdown ? ReplicaStates.Shutdown : ReplicaStates.Exited,
        },
        Health = HealthText(observation.Health),
        Endpoint = observation.Endpoint ?? record.Endpoint,
        Port = observation.Port ?? record.Port,
        Pid = observation.Pid ?? record.Pid,
        ProcessStartTicks = observation.ProcessStartTicks ?? record.ProcessStartTicks,
        LogPath = observation.LogPath ?? record.LogPath,
        ExitedAt = observation.ExitedAt ?? record.ExitedAt,
        ExitCode = observation.ExitCode ?? record.ExitCode,
        Message = observation.Health == ReplicaHealth.Healthy ? null : observation.Message ?? record.Message,
    };

    public static ReplicaRecord AsGone(this ReplicaRecord record, string state, DateTimeOffset at, string message) => record with
    {
        State = state,
        Health = HealthText(ReplicaHealth.None),
        ExitedAt = record.ExitedAt ?? at,
        Message = message,
    };

    public static string HealthText(ReplicaHealth health) => health switch
    {
        ReplicaHealth.Starting => "starting",
        ReplicaHealth.Healthy => "healthy",
        ReplicaHealth.Unhealthy => "unhealthy",
        _ => "none",
    };

    /// <summary>Running and either healthy or without a health check: may receive traffic.</summary>
    public static bool IsReady(this ReplicaRecord record) =>
        record.State == ReplicaStates.Running && record.Health is "healthy" or "none";
}
