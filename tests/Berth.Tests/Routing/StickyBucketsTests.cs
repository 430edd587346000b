using Berth.Routing;

namespace Berth.Tests.Routing;

public sealed class StickyBucketsTests
{
    [Fact]
    public void Of_100000RandomIds_RoughlyUniformOverBuckets()
    {
        var random = new Random(20260101);
        var counts = new int[StickyBuckets.Count];
        var bytes = new byte[16];
        for (var i = 0; i < 100_000; i++)
        {
            random.NextBytes(bytes);
            counts[StickyBuckets.Of(new Guid(bytes).ToString("N"))]++;
        }

        var outliers = Enumerable.Range(0, counts.Length).Where(b => counts[b] is < 800 or > 1200).Select(b => $"{b}:{counts[b]}").ToList();
        Assert.True(outliers.Count == 0, $"buckets outside 1000 ± 200: {string.Join(", ", outliers)}");
    }

    [Fact]
    public void Of_SequentialIds_RoughlyUniformOverBuckets()
    {
        // Ids that differ only in their last characters (user-1, user-2, …) are the common case.
        var counts = new int[StickyBuckets.Count];
        for (var i = 0; i < 100_000; i++)
        {
            counts[StickyBuckets.Of($"user-{i}")]++;
        }

        Assert.True(counts.Min() >= 800 && counts.Max() <= 1200, $"min {counts.Min()}, max {counts.Max()}");
    }

    [Theory]
    [InlineData("alice")]
    [InlineData("")]
    [InlineData("ünïcødé-ユーザー-🙂")]
    [InlineData("a-very-long-user-id-that-is-longer-than-sixty-four-characters-0123456789-abcdefghijklmnopqrstuvwxyz")]
    public void Of_SameId_SameBucketInRange(string id)
    {
        var bucket = StickyBuckets.Of(id);

        Assert.InRange(bucket, 0, StickyBuckets.Count - 1);
        Assert.Equal(bucket, StickyBuckets.Of(new string(id.AsSpan())));
    }
}
