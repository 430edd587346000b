using Berth.Routing;

namespace Berth.Api;

/// <summary>What a router sends every second: who it is, what it serves, and what it measured (also its heartbeat).</summary>
public sealed record RouterReport(
    string Node,
    int Pid,
    DateTimeOffset StartedAt,
    string Version,
    long AppliedVersion,
    IReadOnlyList<string> Services,
    RouterMetricsReport Metrics);
