using Microsoft.Extensions.Logging;

namespace Berth.Routing.Tcp;

/// <summary>What the TCP doors log: refused connects, connections without a replica, connections closed after a drain.</summary>
internal static partial class TcpLog
{
    [LoggerMessage(EventId = 410, Level = LogLevel.Debug, Message = "TCP connect to replica {Replica} of {Service} failed: {Reason}")]
    public static partial void ConnectFailed(ILogger logger, string service, string replica, string reason);

    [LoggerMessage(EventId = 411, Level = LogLevel.Information, Message = "Replica {Replica} of {Service} ejected from TCP door {Door} for {Period} after refused connects")]
    public static partial void Ejected(ILogger logger, string service, string replica, string door, TimeSpan period);

    [LoggerMessage(EventId = 412, Level = LogLevel.Debug, Message = "TCP connection on {Door} of {Service} closed: no replica of release {Release} accepted it")]
    public static partial void NoReplica(ILogger logger, string service, string door, int release);

    [LoggerMessage(EventId = 413, Level = LogLevel.Information, Message = "Closed {Count} TCP connections of replica {Replica} of {Service} still open {Grace} after it left the route")]
    public static partial void ClosedAfterGrace(ILogger logger, string service, string replica, int count, TimeSpan grace);

    [LoggerMessage(EventId = 414, Level = LogLevel.Warning, Message = "TCP door {Door} of {Service} could not accept a connection: {Reason}")]
    public static partial void AcceptFailed(ILogger logger, string service, string door, string reason);
}
