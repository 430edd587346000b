using System.Collections.Concurrent;
using Prometheus;

namespace Berth.Routing;

/// <summary>
/// What the router measured, per service release and per replica: rolling windows that analysis queries, and
/// Prometheus counters/histograms exported at /metrics (own registry, no process-wide state).
/// </summary>
public sealed class RouterMetrics : IKpiSource
{
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<(string Service, int Release), RollingWindow> _releases = new();
    private readonly ConcurrentDictionary<(string Service, string Replica), RollingWindow> _replicas = new();
    private readonly ConcurrentDictionary<(string Service, int Release, string Replica), DestinationMeters> _meters = new();
    /// <summary>How long a replica that serves nothing keeps its exported series: 60 s.</summary>
    private const long SeriesRetention = 60;

    private readonly ConcurrentDictionary<(string Service, int Release, string Replica), long> _idle = new();
    private readonly MemoryStream _exportBuffer = new();
    private readonly SemaphoreSlim _exportGate = new(1, 1);
    private readonly Counter _requests;
    private readonly Histogram _duration;
    private readonly Counter _ejections;
    private long _lastPrune;

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
        _ejections = factory.CreateCounter(
            "berth_router_ejections_total",
            "Replicas passive health ejected (eject_after_failures failures in a row) by service.",
            new CounterConfiguration { LabelNames = ["service"] });
    }

    /// <summary>The router's clock (its windows', its TCP doors' ejections and drains).</summary>
    internal TimeProvider Time => _time;

    /// <summary>The Prometheus registry holding the router's metrics.</summary>
    public CollectorRegistry Registry { get; }

    public void Record(string service, int release, string replica, int statusCode, bool connectionError, TimeSpan elapsed) =>
        MetersOf(service, release, replica).Record(statusCode, connectionError, elapsed);

    /// <summary>Counts one passive-health ejection of a replica of <paramref name="service"/>.</summary>
    public void RecordEjection(string service) => _ejections.WithLabels(service).Inc();

    /// <summary>How many ejections passive health made in <paramref name="service"/> since the router started.</summary>
    public long EjectionsOf(string service) => (long)_ejections.WithLabels(service).Value;

    /// <summary>
    /// Everything one replica's requests update, looked up once per request by one key (no per-request string or
    /// label array is built: this is on the router's hot path).
    /// </summary>
    internal DestinationMeters MetersOf(string service, int release, string replica) =>
        _meters.GetOrAdd((service, release, replica), key => new DestinationMeters(_time.GetUtcNow().ToUnixTimeSeconds(),
            _releases.GetOrAdd((key.Service, key.Release), _ => new RollingWindow(_time)),
            _replicas.GetOrAdd((key.Service, key.Replica), _ => new RollingWindow(_time)),
            code => _requests.WithLabels(key.Service, key.Release.ToString(System.Globalization.CultureInfo.InvariantCulture), key.Replica, code),
            _duration.WithLabels(key.Service, key.Release.ToString(System.Globalization.CultureInfo.InvariantCulture))));

    /// <summary>A release's traffic over the last <paramref name="window"/>.</summary>
    public KpiSnapshot ForRelease(string service, int release, TimeSpan window) =>
        _releases.TryGetValue((service, release), out var rolling) ? rolling.Query(window) : Empty(window);

    /// <summary>A release's traffic over the window ending at <paramref name="end"/>; null until its last second has passed.</summary>
    public KpiSnapshot? ForReleaseEndingAt(string service, int release, TimeSpan window, DateTimeOffset end)
    {
        var lastSecond = RollingWindow.LastSecondOf(end);
        if (_time.GetUtcNow().ToUnixTimeSeconds() <= lastSecond)
        {
            return null;
        }

        return _releases.TryGetValue((service, release), out var rolling) ? rolling.Totals(window, lastSecond).ToSnapshot() : Empty(window);
    }

    /// <summary>A replica's traffic over the last <paramref name="window"/>.</summary>
    public KpiSnapshot ForReplica(string service, string replica, TimeSpan window) =>
        _replicas.TryGetValue((service, replica), out var rolling) ? rolling.Query(window) : Empty(window);

    /// <summary>What this router measured in the seconds after <paramref name="afterSecond"/>, for the control plane.</summary>
    public IReadOnlyList<WindowReport> Export(long afterSecond)
    {
        Prune(_time.GetUtcNow().ToUnixTimeSeconds());
        var reports = new List<WindowReport>();
        foreach (var ((service, release), window) in _releases)
        {
            if (window.Export(afterSecond) is { Count: > 0 } slots)
            {
                reports.Add(new WindowReport(service, release, null, slots));
            }
        }

        foreach (var ((service, release, replica), _) in _meters)
        {
            if (_replicas.TryGetValue((service, replica), out var window) && window.Export(afterSecond) is { Count: > 0 } slots)
            {
                reports.Add(new WindowReport(service, release, replica, slots));
            }
        }

        return reports;
    }

    /// <summary>
    /// The router's Prometheus text exposition, written into one buffer the router keeps (it is sent every few seconds
    /// and runs to hundreds of kilobytes: a new buffer each time was large-object churn that grew the process's memory).
    /// </summary>
    public async Task<string> PrometheusTextAsync(CancellationToken cancellationToken)
    {
        await _exportGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _exportBuffer.SetLength(0);
            await Registry.CollectAndExportAsTextAsync(_exportBuffer, cancellationToken).ConfigureAwait(false);
            return System.Text.Encoding.UTF8.GetString(_exportBuffer.GetBuffer(), 0, (int)_exportBuffer.Length);
        }
        finally
        {
            _exportGate.Release();
        }
    }

    /// <summary>
    /// Drops what retired replicas and releases left (checked every 30 s): a replica's exported series once it served
    /// nothing for <see cref="SeriesRetention"/> (a request after that starts them afresh, as a counter reset), its
    /// window once it served nothing for longer than a window holds (analysis may still read it until then), and its
    /// release's once none of its replicas is left. Without it every deploy would leave its replicas' windows and
    /// series in the router for good, and the series' text sent every few seconds would grow with every deploy.
    /// </summary>
    private void Prune(long now)
    {
        if (now - Interlocked.Read(ref _lastPrune) < 30)
        {
            return;
        }

        Interlocked.Exchange(ref _lastPrune, now);
        foreach (var (key, meters) in _meters)
        {
            if (now - meters.LastSecond <= SeriesRetention || !_meters.TryRemove(key, out _))
            {
                continue;
            }

            var release = key.Release.ToString(System.Globalization.CultureInfo.InvariantCulture);
            foreach (var code in DestinationMeters.Codes)
            {
                _requests.RemoveLabelled(key.Service, release, key.Replica, code);
            }

            _idle[key] = meters.LastSecond;
            if (!_meters.Keys.Any(k => k.Service == key.Service && k.Release == key.Release))
            {
                _duration.RemoveLabelled(key.Service, release);
            }
        }

        foreach (var (key, lastSecond) in _idle)
        {
            if (_meters.ContainsKey(key))
            {
                _idle.TryRemove(key, out _);
            }
            else if (now - lastSecond > RollingWindow.Seconds && _idle.TryRemove(key, out _))
            {
                _replicas.TryRemove((key.Service, key.Replica), out _);
                if (!_meters.Keys.Concat(_idle.Keys).Any(k => k.Service == key.Service && k.Release == key.Release))
                {
                    _releases.TryRemove((key.Service, key.Release), out _);
                }
            }
        }
    }

    private static KpiSnapshot Empty(TimeSpan window) => new(window, 0, 0, 0, 0, 0, 0, 0, 0, 0);
}
