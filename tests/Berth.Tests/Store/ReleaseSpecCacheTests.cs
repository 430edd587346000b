using Berth.Spec;
using Berth.Store;

namespace Berth.Tests.Store;

public sealed class ReleaseSpecCacheTests
{
    private static string Json(string name) => BerthStore.Serialize(new ServiceSpec { Name = name, Image = name + ":1" });

    [Fact]
    public void Get_SameText_DeserializedOnceAndShared()
    {
        var cache = new ReleaseSpecCache();
        var json = Json("s_web");

        var first = cache.Get(json);

        Assert.Equal("s_web", first.Name);
        Assert.Same(first, cache.Get(json));
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public void Get_SpecReadEveryGeneration_StaysWhileUnreadOnesGo()
    {
        var cache = new ReleaseSpecCache();
        var current = Json("s_current");
        var replaced = Json("s_replaced");
        var kept = cache.Get(current);
        var old = cache.Get(replaced);

        // Many generations of reads: the current release is read in each, the replaced one never again, and a stream
        // of other releases goes by (one new spec per 100 reads).
        for (var read = 0; read < ReleaseSpecCache.ReadsPerGeneration * 6; read++)
        {
            cache.Get(read % 100 == 0 ? Json($"s_{read}") : current);
        }

        Assert.Same(kept, cache.Get(current));
        Assert.NotSame(old, cache.Get(replaced));
        // Two generations of at most ReadsPerGeneration reads each, one new spec per 100 reads: ~41 plus the two.
        Assert.InRange(cache.Count, 2, 2 * ReleaseSpecCache.ReadsPerGeneration / 100 + 3);
    }

    [Fact]
    public void Get_MoreDistinctSpecsThanCapacity_HeldSpecsBounded()
    {
        var cache = new ReleaseSpecCache();

        for (var i = 0; i < ReleaseSpecCache.Capacity * 3; i++)
        {
            cache.Get(Json($"s_{i}"));
        }

        Assert.InRange(cache.Count, 1, 2 * ReleaseSpecCache.Capacity);
    }
}
