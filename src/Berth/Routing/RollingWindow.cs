namespace Berth.Routing;

/// <summary>Per-second traffic counters over the last few minutes (a ring of one-second slots), queried over any recent window.</summary>
public sealed class RollingWindow
{
    public const int Seconds = 300;

    private readonly Slot[] _slots = Enumerable.Range(0, Seconds).Select(_ => new Slot()).ToArray();
    private readonly TimeProvider _time;

    public RollingWindow(TimeProvider time) => _time = time;

    public void Record(int statusCode, bool connectionError, double milliseconds) =>
        Record(CurrentSecond(), statusCode, connectionError, LatencyHistogram.BucketOf(milliseconds));

    /// <summary>The clock's current second, read once per request by callers that record into several windows.</summary>
    internal long CurrentSecond() => _time.GetUtcNow().ToUnixTimeSeconds();

    /// <summary>Records one request whose second and latency bucket the caller already computed (router hot path).</summary>
    internal void Record(long second, int statusCode, bool connectionError, int latencyBucket)
    {
        var slot = _slots[second % Seconds];
        lock (slot)
        {
            if (slot.Second != second)
            {
                slot.Reset(second);
            }

            slot.Requests++;
            if (connectionError)
            {
                slot.ConnectionErrors++;
            }
            else
            {
                switch (statusCode / 100)
                {
                    case 2: slot.S2xx++; break;
                    case 3: slot.S3xx++; break;
                    case 4: slot.S4xx++; break;
                    case 5: slot.S5xx++; break;
                }
            }

            slot.Latency[latencyBucket]++;
        }
    }

    /// <summary>Totals over the last <paramref name="window"/> (whole seconds, the current one included).</summary>
    public KpiSnapshot Query(TimeSpan window)
    {
        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        var span = (int)Math.Clamp(Math.Ceiling(window.TotalSeconds), 1, Seconds);
        long requests = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, errors = 0;
        var latency = new long[LatencyHistogram.BucketCount];
        foreach (var slot in _slots)
        {
            lock (slot)
            {
                if (slot.Second <= now - span || slot.Second > now)
                {
                    continue;
                }

                requests += slot.Requests;
                s2 += slot.S2xx;
                s3 += slot.S3xx;
                s4 += slot.S4xx;
                s5 += slot.S5xx;
                errors += slot.ConnectionErrors;
                for (var i = 0; i < latency.Length; i++)
                {
                    latency[i] += slot.Latency[i];
                }
            }
        }

        return new KpiSnapshot(
            TimeSpan.FromSeconds(span),
            requests,
            s2,
            s3,
            s4,
            s5,
            errors,
            LatencyHistogram.Quantile(latency, 0.50),
            LatencyHistogram.Quantile(latency, 0.95),
            LatencyHistogram.Quantile(latency, 0.99));
    }

    private sealed class Slot
    {
        public long Second = -1;
        public long Requests;
        public long S2xx;
        public long S3xx;
        public long S4xx;
        public long S5xx;
        public long ConnectionErrors;
        public readonly long[] Latency = new long[LatencyHistogram.BucketCount];

        public void Reset(long second)
        {
            Second = second;
            Requests = S2xx = S3xx = S4xx = S5xx = ConnectionErrors = 0;
            Array.Clear(Latency);
        }
    }
}
