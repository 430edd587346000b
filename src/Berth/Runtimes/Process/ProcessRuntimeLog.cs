using Microsoft.Extensions.Logging;

namespace Berth.Runtimes.Process;

/// <summary>Log messages of the process runtime (never environment values: they may hold secrets).</summary>
internal static partial class ProcessRuntimeLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Information,
        Message = "Started replica {Replica} of {Service} release {Release}: pid {Pid}, port {Port}")]
    public static partial void ReplicaStarted(ILogger logger, string replica, string service, int release, int pid, int port);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Could not start replica {Replica} of {Service}: {Reason}")]
    public static partial void ReplicaSpawnFailed(ILogger logger, string replica, string service, string reason);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information,
        Message = "Replica {Replica} of {Service} (pid {Pid}) exited with code {ExitCode}")]
    public static partial void ReplicaExited(ILogger logger, string replica, string service, int? pid, int? exitCode);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Information, Message = "Adopted replica {Replica} of {Service}: pid {Pid}, port {Port}")]
    public static partial void ReplicaAdopted(ILogger logger, string replica, string service, int pid, int? port);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Information, Message = "Did not adopt replica {Replica} (pid {Pid}): {Reason}")]
    public static partial void AdoptionRefused(ILogger logger, string replica, int? pid, string reason);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Information,
        Message = "Replica {Replica} of {Service} health {Health}{Detail}")]
    public static partial void HealthChanged(ILogger logger, string replica, string service, ReplicaHealth health, string detail);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Information,
        Message = "Stopping replica {Replica} of {Service} (pid {Pid}) with SIGTERM, grace {GracePeriod}")]
    public static partial void Stopping(ILogger logger, string replica, string service, int? pid, TimeSpan gracePeriod);

    [LoggerMessage(EventId = 3008, Level = LogLevel.Warning,
        Message = "Replica {Replica} of {Service} (pid {Pid}) still running after grace: SIGKILL")]
    public static partial void KillingAfterGrace(ILogger logger, string replica, string service, int? pid);

    [LoggerMessage(EventId = 3009, Level = LogLevel.Information, Message = "Killing replica {Replica} of {Service} (pid {Pid})")]
    public static partial void Killing(ILogger logger, string replica, string service, int? pid);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Warning, Message = "Replica {Replica} (pid {Pid}) did not exit after SIGKILL")]
    public static partial void NotExitedAfterKill(ILogger logger, string replica, int? pid);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Debug, Message = "Rotated log of replica {Replica} at {Bytes} bytes")]
    public static partial void LogRotated(ILogger logger, string replica, long bytes);

    [LoggerMessage(EventId = 3012, Level = LogLevel.Error, Message = "Process runtime {Loop} loop failed")]
    public static partial void LoopFailed(ILogger logger, Exception exception, string loop);

    [LoggerMessage(EventId = 3013, Level = LogLevel.Error, Message = "A ReplicaChanged handler failed for replica {Replica}")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, string replica);

    [LoggerMessage(EventId = 3014, Level = LogLevel.Warning, Message = "Stopped process {Pid} of replica {Replica}: started as the server stopped, never recorded")]
    public static partial void UnrecordedStopped(ILogger logger, string replica, int pid);
}
