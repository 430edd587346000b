namespace Berth.Routing;

/// <summary>
/// One second of a rolling window as a router reports it to the control plane: counts by status class and the
/// latency histogram (sparse: bucket indexes with their counts). Summing slots of several routers gives the fleet's.
/// </summary>
public sealed record WindowSlotData(
    long Second,
    long Requests,
    long S2xx,
    long S3xx,
    long S4xx,
    long S5xx,
    long ConnectionErrors,
    IReadOnlyList<int> LatencyBuckets,
    IReadOnlyList<long> LatencyCounts);
