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

        // The current release is read again and again, the replaced one never, and other releases go by (one new
        // spec every 10 reads), as deploys bring them.
        for (var read = 0; read < ReleaseSpecCache.MinReadsPerGeneration * 20; read++)
        {
            cache.Get(read % 10 == 0 ? Json($"s_{read}") : current);
        }

        Assert.Same(kept, cache.Get(current));
        Assert.NotSame(old, cache.Get(replaced));
        // Two generations of 64 reads, one new spec per 10 reads: about 13, with the current and the replaced one.
        Assert.InRange(cache.Count, 2, 20);
    }

    [Fact]
    public void Get_PassesOverManyServices_EachSpecDeserializedOnce()
    {
        var cache = new ReleaseSpecCache();
        var texts = Enumerable.Range(0, 1000).Select(i => Json($"s_{i}")).ToList();
        var first = texts.Select(cache.Get).ToList();

        // Engine passes over 1,000 services read each release once per pass: none is dropped between two reads.
        for (var pass = 0; pass < 5; pass++)
        {
            for (var i = 0; i < texts.Count; i++)
            {
                Assert.Same(first[i], cache.Get(texts[i]));
            }
        }
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
