using System.Collections.Concurrent;
using Prometheus;

namespace Berth.Routing;

/// <summary>
/// What the router measured, per service release and per replica: rolling windows that analysis queries, and
/// Prometheus counters/histograms exported at /metrics (own registry, no process-wide state).
/// </summary>
public sealed class RouterMetrics
{
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<(string Service, int Release), RollingWindow> _releases = new();
    private readonly ConcurrentDictionary<(string Service, string Replica), RollingWindow> _replicas = new();
    private readonly ConcurrentDictionary<(string, string, string, string), Counter.Child> _requestCounters = new();
    private readonly ConcurrentDictionary<(string, string), Histogram.Child> _durations = new();
    private readonly Counter _requests;
    private readonly Histogram _duration;

    public RouterMetrics(TimeProvider time)
    {
        _time = time;
        Registry = Metrics.NewCustomRegistry();
        var factory = Metrics.WithCustomRegistry(Registry);
        _requests = factory.CreateCounter(
            "berth_router_requests_total",
            "Requests through Berth's router by service, release, replica and status class (conn_error = no answer).",
            new CounterConfiguration { LabelNames = ["service", "release", "replica", "code"] });
        _duration = factory.CreateHistogram(
            "berth_router_request_duration_seconds",
            "Time from request to response through Berth's router, by service and release.",
            new HistogramConfiguration { LabelNames = ["service", "release"], Buckets = Histogram.ExponentialBuckets(0.0005, 2, 16) });
    }

    /// <summary>The Prometheus registry holding the router's metrics.</summary>
    public CollectorRegistry Registry { get; }

    public void Record(string service, int release, string replica, int statusCode, bool connectionError, TimeSpan elapsed)
    {
        var milliseconds = elapsed.TotalMilliseconds;
        _releases.GetOrAdd((service, release), _ => new RollingWindow(_time)).Record(statusCode, connectionError, milliseconds);
        _replicas.GetOrAdd((service, replica), _ => new RollingWindow(_time)).Record(statusCode, connectionError, milliseconds);
        var releaseText = release.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var code = connectionError ? "conn_error" : $"{statusCode / 100}xx";
        _requestCounters.GetOrAdd((service, releaseText, replica, code), key => _requests.WithLabels(key.Item1, key.Item2, key.Item3, key.Item4)).Inc();
        _durations.GetOrAdd((service, releaseText), key => _duration.WithLabels(key.Item1, key.Item2)).Observe(elapsed.TotalSeconds);
    }

    /// <summary>A release's traffic over the last <paramref name="window"/>.</summary>
    public KpiSnapshot ForRelease(string service, int release, TimeSpan window) =>
        _releases.TryGetValue((service, release), out var rolling) ? rolling.Query(window) : Empty(window);

    /// <summary>A replica's traffic over the last <paramref name="window"/>.</summary>
    public KpiSnapshot ForReplica(string service, string replica, TimeSpan window) =>
        _replicas.TryGetValue((service, replica), out var rolling) ? rolling.Query(window) : Empty(window);

    private static KpiSnapshot Empty(TimeSpan window) => new(window, 0, 0, 0, 0, 0, 0, 0, 0, 0);
}
