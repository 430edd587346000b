namespace Berth.Routing;

/// <summary>Raw totals of one or more rolling windows over a span: what is summed across routers before percentiles are taken.</summary>
public sealed class WindowTotals
{
    public WindowTotals(TimeSpan window)
    {
        Window = window;
    }

    public TimeSpan Window { get; }

    public long Requests { get; private set; }

    public long S2xx { get; private set; }

    public long S3xx { get; private set; }

    public long S4xx { get; private set; }

    public long S5xx { get; private set; }

    public long ConnectionErrors { get; private set; }

    public long[] Latency { get; } = new long[LatencyHistogram.BucketCount];

    public void Add(long requests, long s2xx, long s3xx, long s4xx, long s5xx, long connectionErrors, ReadOnlySpan<long> latency)
    {
        Requests += requests;
        S2xx += s2xx;
        S3xx += s3xx;
        S4xx += s4xx;
        S5xx += s5xx;
        ConnectionErrors += connectionErrors;
        for (var i = 0; i < latency.Length && i < Latency.Length; i++)
        {
            Latency[i] += latency[i];
        }
    }

    public void Add(WindowTotals other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Add(other.Requests, other.S2xx, other.S3xx, other.S4xx, other.S5xx, other.ConnectionErrors, other.Latency);
    }

    /// <summary>Percentiles are taken only now, over the summed histogram: the fleet's p99, not an average of p99s.</summary>
    public KpiSnapshot ToSnapshot() => new(
        Window,
        Requests,
        S2xx,
        S3xx,
        S4xx,
        S5xx,
        ConnectionErrors,
        LatencyHistogram.Quantile(Latency, 0.50),
        LatencyHistogram.Quantile(Latency, 0.95),
        LatencyHistogram.Quantile(Latency, 0.99));
}
