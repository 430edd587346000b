using System.Collections.Concurrent;
using System.Text;

namespace Berth.Routing.Fleet;

/// <summary>
/// The control plane's view of what every router measured: each router's rolling windows, as reported, summed at
/// query time (counts and latency histograms add up; percentiles are taken over the sum), so analysis sees all the
/// traffic of every router. A window ends with the last second every reporting router has sent whole: a router
/// reports about once a second, so the second still filling (and, between reports, the one before) would make a short
/// analysis interval look nearly empty. Also keeps each router's last Prometheus text for /metrics.
/// </summary>
public sealed class FleetMetrics : IKpiSource
{
    /// <summary>A router silent for longer than this (gone, or cut off) no longer holds the fleet's windows back.</summary>
    private const long SilentAfterSeconds = 5;

    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<(string Service, int Release), ConcurrentDictionary<string, RollingWindow>> _releases = new();
    private readonly ConcurrentDictionary<(string Service, string Replica), ConcurrentDictionary<string, RollingWindow>> _replicas = new();
    private readonly ConcurrentDictionary<string, string> _prometheus = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<object, long> _lastSeen = new();
    private readonly ConcurrentDictionary<string, long> _wholeUpTo = new(StringComparer.Ordinal);
    private long _lastPrune;

    public FleetMetrics(TimeProvider time)
    {
        _time = time;
    }

    /// <summary>Takes a router's report: each reported second replaces what that router said of it before.</summary>
    public void Absorb(string routerId, RouterMetricsReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var now = _time.GetUtcNow().ToUnixTimeSeconds();

        // A report carries the router's seconds up to the one filling as it was sent: those before it are whole.
        _wholeUpTo[routerId] = now - 1;
        foreach (var window in report.Windows)
        {
            var perRouter = window.Replica is { } replica
                ? _replicas.GetOrAdd((window.Service, replica), _ => new(StringComparer.Ordinal))
                : _releases.GetOrAdd((window.Service, window.Release), _ => new(StringComparer.Ordinal));
            var rolling = perRouter.GetOrAdd(routerId, _ => new RollingWindow(_time));
            foreach (var slot in window.Slots)
            {
                rolling.Absorb(slot);
            }

            _lastSeen[window.Replica is { } r ? (window.Service, r) : (window.Service, window.Release)] = now;
        }

        if (report.Prometheus is { } text)
        {
            _prometheus[routerId] = text;
        }

        Prune(now);
    }

    public KpiSnapshot ForRelease(string service, int release, TimeSpan window) =>
        Sum(_releases.GetValueOrDefault((service, release)), window);

    /// <summary>
    /// A release's traffic over the window ending at <paramref name="end"/>, once every router still reporting has sent
    /// its last second whole (a router silent for more than a few seconds is not waited for); null until then.
    /// </summary>
    public KpiSnapshot? ForReleaseEndingAt(string service, int release, TimeSpan window, DateTimeOffset end)
    {
        var lastSecond = RollingWindow.LastSecondOf(end);
        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        if (now <= lastSecond || _wholeUpTo.Values.Any(whole => whole < lastSecond && now - whole <= SilentAfterSeconds))
        {
            return null;
        }

        return Sum(_releases.GetValueOrDefault((service, release)), window, lastSecond);
    }

    public KpiSnapshot ForReplica(string service, string replica, TimeSpan window) =>
        Sum(_replicas.GetValueOrDefault((service, replica)), window);

    /// <summary>A router that is gone: its Prometheus series leave /metrics (its traffic stays in the windows until it ages out).</summary>
    public void ForgetRouter(string routerId)
    {
        _prometheus.TryRemove(routerId, out _);
        _wholeUpTo.TryRemove(routerId, out _);
    }

    /// <summary>
    /// Every router's Prometheus text as one exposition: each sample gets a <c>router</c> label, each metric family's
    /// HELP and TYPE lines appear once (sum by the other labels for the fleet's totals).
    /// </summary>
    public string PrometheusText()
    {
        var families = new SortedDictionary<string, (List<string> Header, List<string> Samples)>(StringComparer.Ordinal);
        foreach (var (router, text) in _prometheus.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                if (line.StartsWith("# ", StringComparison.Ordinal))
                {
                    var name = line.Split(' ', 4) is { Length: >= 3 } parts ? parts[2] : line;
                    var family = Family(families, name);
                    if (!family.Header.Contains(line))
                    {
                        family.Header.Add(line);
                    }

                    continue;
                }

                Family(families, BaseName(line)).Samples.Add(WithRouterLabel(line, router));
            }
        }

        var output = new StringBuilder();
        foreach (var (_, (header, samples)) in families)
        {
            header.ForEach(h => output.Append(h).Append('\n'));
            samples.ForEach(s => output.Append(s).Append('\n'));
        }

        return output.ToString();
    }

    private static (List<string> Header, List<string> Samples) Family(SortedDictionary<string, (List<string>, List<string>)> families, string name)
    {
        if (!families.TryGetValue(name, out var family))
        {
            family = ([], []);
            families[name] = family;
        }

        return family;
    }

    /// <summary>A sample's family: its metric name without the histogram suffixes.</summary>
    private static string BaseName(string sample)
    {
        var end = sample.IndexOfAny(['{', ' ']);
        var name = end < 0 ? sample : sample[..end];
        foreach (var suffix in (string[])["_bucket", "_sum", "_count"])
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal))
            {
                return name[..^suffix.Length];
            }
        }

        return name;
    }

    /// <summary>The sample with a last label router="ID" (the router's own labels keep their order, first).</summary>
    private static string WithRouterLabel(string sample, string router)
    {
        var label = $"router=\"{router.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"";
        var brace = sample.IndexOf('{', StringComparison.Ordinal);
        if (brace >= 0)
        {
            var closing = sample.LastIndexOf('}');
            return closing == brace + 1
                ? sample[..(brace + 1)] + label + sample[closing..]
                : sample[..closing] + "," + label + sample[closing..];
        }

        var space = sample.IndexOf(' ', StringComparison.Ordinal);
        return space < 0 ? sample : sample[..space] + "{" + label + "}" + sample[space..];
    }

    private KpiSnapshot Sum(ConcurrentDictionary<string, RollingWindow>? perRouter, TimeSpan window)
    {
        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        var end = now;
        foreach (var router in perRouter?.Keys ?? [])
        {
            if (_wholeUpTo.TryGetValue(router, out var whole) && now - whole <= SilentAfterSeconds)
            {
                end = Math.Min(end, whole);
            }
        }

        return Sum(perRouter, window, end);
    }

    /// <summary>Every router's totals over the <paramref name="window"/> that ends with second <paramref name="lastSecond"/>.</summary>
    private static KpiSnapshot Sum(ConcurrentDictionary<string, RollingWindow>? perRouter, TimeSpan window, long lastSecond)
    {
        if (perRouter is null || perRouter.IsEmpty)
        {
            return new WindowTotals(TimeSpan.FromSeconds(Math.Clamp(Math.Ceiling(window.TotalSeconds), 1, RollingWindow.Seconds))).ToSnapshot();
        }

        WindowTotals? total = null;
        foreach (var rolling in perRouter.Values)
        {
            var totals = rolling.Totals(window, lastSecond);
            if (total is null)
            {
                total = totals;
            }
            else
            {
                total.Add(totals);
            }
        }

        return total!.ToSnapshot();
    }

    /// <summary>Windows of releases and replicas no router reported for longer than a window holds: retired, dropped.</summary>
    private void Prune(long now)
    {
        if (now - Interlocked.Read(ref _lastPrune) < 30)
        {
            return;
        }

        Interlocked.Exchange(ref _lastPrune, now);
        foreach (var (key, seen) in _lastSeen)
        {
            if (now - seen <= RollingWindow.Seconds)
            {
                continue;
            }

            _lastSeen.TryRemove(key, out _);
            switch (key)
            {
                case ValueTuple<string, int> release:
                    _releases.TryRemove(release, out _);
                    break;
                case ValueTuple<string, string> replica:
                    _replicas.TryRemove(replica, out _);
                    break;
            }
        }
    }
}
