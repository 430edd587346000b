using Microsoft.Extensions.Logging;

namespace Berth.Runtimes.Swarm;

/// <summary>Log messages of the Swarm runtime (never environment values or secret contents).</summary>
internal static partial class SwarmRuntimeLog
{
    [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "Created Swarm service {SwarmService} for replica {Replica} of {Service} release {Release}")]
    public static partial void ServiceCreated(ILogger logger, string swarmService, string replica, string service, int release);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Warning, Message = "Could not start replica {Replica} of {Service}: {Reason}")]
    public static partial void StartFailed(ILogger logger, string replica, string service, string reason);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Information, Message = "Removed Swarm service {SwarmService} of replica {Replica}")]
    public static partial void ServiceRemoved(ILogger logger, string swarmService, string replica);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Information, Message = "Adopted replica {Replica}: Swarm service {SwarmService}")]
    public static partial void Adopted(ILogger logger, string replica, string swarmService);

    [LoggerMessage(EventId = 3105, Level = LogLevel.Information, Message = "Replica {Replica} is now {State} ({Health}) at {Endpoint}")]
    public static partial void Changed(ILogger logger, string replica, ReplicaRunState state, ReplicaHealth health, string? endpoint);

    [LoggerMessage(EventId = 3106, Level = LogLevel.Warning, Message = "Watching Swarm tasks failed: {Reason}")]
    public static partial void PollFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 3111, Level = LogLevel.Warning, Message = "The Engine API's event stream is down ({Reason}); looking at every Swarm task every poll interval until it is back")]
    public static partial void EventsLost(ILogger logger, string reason);

    [LoggerMessage(EventId = 3107, Level = LogLevel.Information, Message = "Created overlay network {Network} for stack {Stack}")]
    public static partial void NetworkCreated(ILogger logger, string network, string stack);

    [LoggerMessage(EventId = 3110, Level = LogLevel.Information, Message = "Removed overlay network {Network} of stack {Stack} (its last replica stopped)")]
    public static partial void NetworkRemoved(ILogger logger, string network, string stack);

    [LoggerMessage(EventId = 3108, Level = LogLevel.Information, Message = "Created Swarm secret {Secret}")]
    public static partial void SecretCreated(ILogger logger, string secret);

    [LoggerMessage(EventId = 3109, Level = LogLevel.Information, Message = "Node {Node} set to {Availability}")]
    public static partial void NodeAvailabilitySet(ILogger logger, string node, string availability);
}
