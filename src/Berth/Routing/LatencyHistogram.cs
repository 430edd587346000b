namespace Berth.Routing;

/// <summary>Log-spaced latency buckets (10 % apart, 0.1 ms to ~2 min) shared by all rolling windows.</summary>
public static class LatencyHistogram
{
    private const double FirstBoundMs = 0.1;
    private const double Ratio = 1.1;
    public const int BucketCount = 150;

    private static readonly double[] UpperBoundsMs = Enumerable.Range(0, BucketCount).Select(i => FirstBoundMs * Math.Pow(Ratio, i)).ToArray();

    public static int BucketOf(double milliseconds)
    {
        if (milliseconds <= FirstBoundMs)
        {
            return 0;
        }

        var index = (int)Math.Ceiling(Math.Log(milliseconds / FirstBoundMs) / Math.Log(Ratio));
        return Math.Clamp(index, 0, BucketCount - 1);
    }

    /// <summary>The latency below which <paramref name="quantile"/> of the counted requests fall, interpolated within a bucket.</summary>
    public static double Quantile(ReadOnlySpan<long> counts, double quantile)
    {
        long total = 0;
        foreach (var count in counts)
        {
            total += count;
        }

        if (total == 0)
        {
            return 0;
        }

        var rank = quantile * total;
        long seen = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            if (counts[i] == 0)
            {
                continue;
            }

            if (seen + counts[i] >= rank)
            {
                var lower = i == 0 ? 0 : UpperBoundsMs[i - 1];
                var fraction = (rank - seen) / counts[i];
                return lower + ((UpperBoundsMs[i] - lower) * fraction);
            }

            seen += counts[i];
        }

        return UpperBoundsMs[^1];
    }
}
