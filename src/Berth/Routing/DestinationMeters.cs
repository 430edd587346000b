using System.Collections.Immutable;
using Prometheus;

namespace Berth.Routing;

/// <summary>The counters one replica's requests update: its release's and its own rolling windows, and its Prometheus series.</summary>
internal sealed class DestinationMeters
{
    /// <summary>The status classes counted (the code label of berth_router_requests_total).</summary>
    public static readonly ImmutableArray<string> Codes = ["1xx", "2xx", "3xx", "4xx", "5xx", "conn_error"];
    private readonly RollingWindow _release;
    private readonly RollingWindow _replica;
    private readonly Counter.Child[] _counters;
    private readonly Histogram.Child _duration;
    private long _lastSecond;

    public DestinationMeters(long createdSecond, RollingWindow release, RollingWindow replica, Func<string, Counter.Child> counter, Histogram.Child duration)
    {
        _lastSecond = createdSecond;
        _release = release;
        _replica = replica;
        _counters = Codes.Select(counter).ToArray();
        _duration = duration;
    }

    /// <summary>The second (Unix time) of the last request recorded: meters idle longer than a window holds are dropped.</summary>
    public long LastSecond => Volatile.Read(ref _lastSecond);

    public void Record(int statusCode, bool connectionError, TimeSpan elapsed)
    {
        // One clock read and one bucket computation for both windows (they share the router's TimeProvider).
        var second = _release.CurrentSecond();
        if (Volatile.Read(ref _lastSecond) != second)
        {
            // Written once a second, not per request: every request writing it would pull its cache line between cores.
            Volatile.Write(ref _lastSecond, second);
        }

        var bucket = LatencyHistogram.BucketOf(elapsed.TotalMilliseconds);
        _release.Record(second, statusCode, connectionError, bucket);
        _replica.Record(second, statusCode, connectionError, bucket);
        var index = connectionError ? Codes.Length - 1 : Math.Clamp((statusCode / 100) - 1, 0, Codes.Length - 2);
        _counters[index].Inc();
        _duration.Observe(elapsed.TotalSeconds);
    }
}
