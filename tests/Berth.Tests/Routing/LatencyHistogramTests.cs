using Berth.Routing;

namespace Berth.Tests.Routing;

public sealed class LatencyHistogramTests
{
    [Fact]
    public void BucketOf_IncreasingLatencies_MonotonicAndClamped()
    {
        var previous = 0;
        for (var ms = 0.01; ms < 200_000; ms *= 1.03)
        {
            var bucket = LatencyHistogram.BucketOf(ms);
            Assert.True(bucket >= previous, $"{ms} ms went to bucket {bucket}, below {previous}");
            previous = bucket;
        }

        Assert.Equal(0, LatencyHistogram.BucketOf(0));
        Assert.Equal(0, LatencyHistogram.BucketOf(-5));
        Assert.Equal(LatencyHistogram.BucketCount - 1, LatencyHistogram.BucketOf(1e9));
    }

    [Fact]
    public void Quantile_SingleValue_WithinTenPercent()
    {
        var counts = new long[LatencyHistogram.BucketCount];
        counts[LatencyHistogram.BucketOf(50)] = 100;

        foreach (var q in new[] { 0.01, 0.5, 0.95, 1.0 })
        {
            Assert.InRange(LatencyHistogram.Quantile(counts, q), 50 / 1.1, 50 * 1.1);
        }
    }

    [Fact]
    public void Quantile_KnownBimodalDistribution_FindsEachMode()
    {
        // 90 % at 10 ms, 10 % at 1000 ms: the median is fast, the 95th percentile slow.
        var counts = new long[LatencyHistogram.BucketCount];
        counts[LatencyHistogram.BucketOf(10)] = 900;
        counts[LatencyHistogram.BucketOf(1000)] = 100;

        Assert.InRange(LatencyHistogram.Quantile(counts, 0.50), 10 / 1.1, 10 * 1.1);
        Assert.InRange(LatencyHistogram.Quantile(counts, 0.89), 10 / 1.1, 10 * 1.1);
        Assert.InRange(LatencyHistogram.Quantile(counts, 0.95), 1000 / 1.1, 1000 * 1.1);
        Assert.InRange(LatencyHistogram.Quantile(counts, 0.99), 1000 / 1.1, 1000 * 1.1);
    }

    [Fact]
    public void Quantile_Empty_Zero()
    {
        Assert.Equal(0, LatencyHistogram.Quantile(new long[LatencyHistogram.BucketCount], 0.99));
    }
}
