namespace Berth.Routing;

/// <summary>
/// Per-second traffic counters over the last few minutes (a ring of one-second slots), queried over any recent window.
/// A slot (with its latency histogram, about 1.3 KB) is made the first time its position in the ring sees traffic, so a
/// window costs what its traffic used: a replica retired after 20 s keeps 20 slots until its window is dropped, not 300.
/// </summary>
public sealed class RollingWindow
{
    public const int Seconds = 300;

    private readonly Slot?[] _slots = new Slot?[Seconds];
    private readonly TimeProvider _time;

    public RollingWindow(TimeProvider time) => _time = time;

    public void Record(int statusCode, bool connectionError, double milliseconds) =>
        Record(CurrentSecond(), statusCode, connectionError, LatencyHistogram.BucketOf(milliseconds));

    /// <summary>The clock's current second, read once per request by callers that record into several windows.</summary>
    internal long CurrentSecond() => _time.GetUtcNow().ToUnixTimeSeconds();

    /// <summary>
    /// Records one request whose second and latency bucket the caller already computed (router hot path). Lock-free
    /// once the slot holds this second: every request of a release goes through the same window, from every thread
    /// of the router, and a lock there made the threads that lost the race sleep and wake
    /// (bench/results/router-2026-12-07.md, the reading after the run of 23:13). The lock only starts a new second.
    /// </summary>
    internal void Record(long second, int statusCode, bool connectionError, int latencyBucket)
    {
        var slot = SlotAt(second);
        var slotSecond = Volatile.Read(ref slot.Second);
        if (slotSecond != second)
        {
            if (slotSecond > second)
            {
                return; // A request timed a whole ring ago: its second is no longer in the window.
            }

            lock (slot)
            {
                if (slot.Second < second)
                {
                    slot.Reset(second);
                }
            }
        }

        Interlocked.Increment(ref slot.Requests);
        if (connectionError)
        {
            Interlocked.Increment(ref slot.ConnectionErrors);
        }
        else
        {
            switch (statusCode / 100)
            {
                case 2: Interlocked.Increment(ref slot.S2xx); break;
                case 3: Interlocked.Increment(ref slot.S3xx); break;
                case 4: Interlocked.Increment(ref slot.S4xx); break;
                case 5: Interlocked.Increment(ref slot.S5xx); break;
            }
        }

        Interlocked.Increment(ref slot.Latency[latencyBucket]);
    }

    /// <summary>Totals over the last <paramref name="window"/> (whole seconds, the current one included).</summary>
    public KpiSnapshot Query(TimeSpan window) => Totals(window).ToSnapshot();

    /// <summary>The raw totals over the last <paramref name="window"/>, for summing with other routers' windows.</summary>
    public WindowTotals Totals(TimeSpan window) => Totals(window, _time.GetUtcNow().ToUnixTimeSeconds());

    /// <summary>
    /// The second a window ending at <paramref name="end"/> ends with: the one <paramref name="end"/> closes (a whole
    /// second) or falls in (so the window holds up to a second after <paramref name="end"/>, never less than it).
    /// </summary>
    public static long LastSecondOf(DateTimeOffset end) => ((end.ToUnixTimeMilliseconds() + 999) / 1000) - 1;

    /// <summary>The raw totals over the <paramref name="window"/> that ends with second <paramref name="lastSecond"/> (included).</summary>
    public WindowTotals Totals(TimeSpan window, long lastSecond)
    {
        var span = (int)Math.Clamp(Math.Ceiling(window.TotalSeconds), 1, Seconds);
        var totals = new WindowTotals(TimeSpan.FromSeconds(span));
        foreach (var slot in _slots)
        {
            if (slot is null)
            {
                continue;
            }

            lock (slot)
            {
                if (slot.Second <= lastSecond - span || slot.Second > lastSecond)
                {
                    continue;
                }

                totals.Add(slot.Requests, slot.S2xx, slot.S3xx, slot.S4xx, slot.S5xx, slot.ConnectionErrors, slot.Latency);
            }
        }

        return totals;
    }

    /// <summary>The seconds after <paramref name="afterSecond"/> (up to now) that saw traffic, as a router reports them.</summary>
    public IReadOnlyList<WindowSlotData> Export(long afterSecond)
    {
        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        var slots = new List<WindowSlotData>();
        foreach (var slot in _slots)
        {
            if (slot is null)
            {
                continue;
            }

            lock (slot)
            {
                if (slot.Second <= afterSecond || slot.Second > now || slot.Requests == 0)
                {
                    continue;
                }

                var buckets = new List<int>();
                var counts = new List<long>();
                for (var i = 0; i < slot.Latency.Length; i++)
                {
                    if (slot.Latency[i] != 0)
                    {
                        buckets.Add(i);
                        counts.Add(slot.Latency[i]);
                    }
                }

                slots.Add(new WindowSlotData(slot.Second, slot.Requests, slot.S2xx, slot.S3xx, slot.S4xx, slot.S5xx, slot.ConnectionErrors, buckets, counts));
            }
        }

        return slots.OrderBy(s => s.Second).ToList();
    }

    /// <summary>
    /// Takes one reported second as it is (a later report of the same second replaces it: a router reports a second
    /// again while it fills up). Seconds older than the window are ignored.
    /// </summary>
    public void Absorb(WindowSlotData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        if (data.Second <= now - Seconds || data.LatencyBuckets.Count != data.LatencyCounts.Count)
        {
            return;
        }

        var slot = SlotAt(data.Second);
        lock (slot)
        {
            if (slot.Second > data.Second)
            {
                return;
            }

            slot.Reset(data.Second);
            slot.Requests = data.Requests;
            slot.S2xx = data.S2xx;
            slot.S3xx = data.S3xx;
            slot.S4xx = data.S4xx;
            slot.S5xx = data.S5xx;
            slot.ConnectionErrors = data.ConnectionErrors;
            for (var i = 0; i < data.LatencyBuckets.Count; i++)
            {
                if (data.LatencyBuckets[i] is >= 0 and < LatencyHistogram.BucketCount)
                {
                    slot.Latency[data.LatencyBuckets[i]] = data.LatencyCounts[i];
                }
            }
        }
    }

    /// <summary>The ring's slot for <paramref name="second"/>, made on first use (two threads racing keep the same one).</summary>
    private Slot SlotAt(long second)
    {
        var index = (int)(second % Seconds);
        return Volatile.Read(ref _slots[index]) ?? Interlocked.CompareExchange(ref _slots[index], new Slot(), null) ?? _slots[index]!;
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

        /// <summary>
        /// Starts <paramref name="second"/> in this slot (under its lock): the counts are cleared before the second is
        /// published, so a recorder that sees the new second (lock-free) counts into cleared counters.
        /// </summary>
        public void Reset(long second)
        {
            Requests = S2xx = S3xx = S4xx = S5xx = ConnectionErrors = 0;
            Array.Clear(Latency);
            Volatile.Write(ref Second, second);
        }
    }
}
