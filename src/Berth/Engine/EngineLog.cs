using Microsoft.Extensions.Logging;

namespace Berth.Engine;

public sealed partial class ServiceReconciler
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Started replica {Replica} of {Service} (release {Release}) on {Endpoint}")]
        public static partial void ReplicaStarted(ILogger logger, string service, string replica, int release, string? endpoint);

        [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Replica {Replica} of {Service} exited with code {ExitCode}")]
        public static partial void ReplicaExited(ILogger logger, string service, string replica, int? exitCode);
    }
}
