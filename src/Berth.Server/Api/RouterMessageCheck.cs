using Berth.Api;

namespace Berth.Server.Api;

/// <summary>
/// Refuses a router's acknowledgement or report with a missing part (400) before the fleet reads it: the server's JSON
/// reader leaves an absent field null, and a router's message is not trusted to be whole.
/// </summary>
internal static class RouterMessageCheck
{
    public static void Check(RouterAck? ack)
    {
        if (ack?.Errors is null || ack.Errors.Any(e => e.Key is null || e.Value is null))
        {
            throw ProblemException.Invalid("the body must be a RouterAck: {\"version\": N, \"errors\": {\"SERVICE\": \"message\"}}");
        }
    }

    public static void Check(RouterReport? report)
    {
        var whole = report is { Node: not null, Version: not null, Services: not null, Metrics.Windows: not null }
            && report.Services.All(s => s is not null)
            && report.Metrics.Windows.All(w => w is { Service: not null, Slots: not null }
                && w.Slots.All(s => s is { LatencyBuckets: not null, LatencyCounts: not null } && s.LatencyBuckets.Count == s.LatencyCounts.Count));
        if (!whole)
        {
            throw ProblemException.Invalid(
                "the body must be a whole RouterReport: node, pid, startedAt, version, appliedVersion, services, and metrics.windows (each with service, release and slots)");
        }
    }
}
