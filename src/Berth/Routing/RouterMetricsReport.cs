namespace Berth.Routing;

/// <summary>
/// What a router sends the control plane every second: the seconds its rolling windows filled since the last report
/// (a second is sent again while it fills), and now and then its Prometheus text for /metrics.
/// </summary>
public sealed record RouterMetricsReport(IReadOnlyList<WindowReport> Windows, string? Prometheus);
