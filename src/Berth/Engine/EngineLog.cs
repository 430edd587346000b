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

        [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "Rollout {RolloutId} of {Service}: {Decisions} ({Outcome})")]
        public static partial void PlanSaved(ILogger logger, string service, long rolloutId, Progressive.ProgressiveOutcome outcome, string decisions);

        [LoggerMessage(EventId = 103, Level = LogLevel.Information, Message = "Rollout {RolloutId} of {Service} changed by a command during the pass; planning again")]
        public static partial void PlanSuperseded(ILogger logger, string service, long rolloutId);

        [LoggerMessage(EventId = 104, Level = LogLevel.Warning, Message = "Rollout {RolloutId} of {Service} holds: the router did not take its route: {Error}")]
        public static partial void RouterLags(ILogger logger, string service, long rolloutId, string error);
    }
}
