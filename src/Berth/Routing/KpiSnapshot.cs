namespace Berth.Routing;

/// <summary>A release's (or replica's) traffic over a window: volume, errors and latency percentiles.</summary>
public sealed record KpiSnapshot(
    TimeSpan Window,
    long Requests,
    long Status2xx,
    long Status3xx,
    long Status4xx,
    long Status5xx,
    long ConnectionErrors,
    double P50Ms,
    double P95Ms,
    double P99Ms)
{
    /// <summary>Share of requests that failed: 5xx answers plus connection errors.</summary>
    public double ErrorRate => Requests == 0 ? 0 : (double)(Status5xx + ConnectionErrors) / Requests;

    public double RequestsPerSecond => Window.TotalSeconds <= 0 ? 0 : Requests / Window.TotalSeconds;
}
