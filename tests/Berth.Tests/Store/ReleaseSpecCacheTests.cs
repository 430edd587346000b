using Berth.Spec;
using Berth.Store;
using Microsoft.Extensions.Time.Testing;

namespace Berth.Tests.Store;

public sealed class ReleaseSpecCacheTests
{
    private readonly FakeTimeProvider _time = new();

    private static string Json(string name) => BerthStore.Serialize(new ServiceSpec { Name = name, Image = name + ":1" });

    [Fact]
    public void Get_SameText_DeserializedOnceAndShared()
    {
        var cache = new ReleaseSpecCache(_time);
        var json = Json("s_web");

        var first = cache.Get(json);

        Assert.Equal("s_web", first.Name);
        Assert.Same(first, cache.Get(json));
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public void Get_SpecReadEveryGeneration_StaysWhileReplacedOnesGo()
    {
        var cache = new ReleaseSpecCache(_time);
        var current = Json("s_current");
        var replaced = Json("s_replaced");
        var kept = cache.Get(current);
        var old = cache.Get(replaced);

        // A deploy every 10 s for 10 minutes, each bringing a release the next one replaces; the current release is
        // read a few times a deploy, the first replaced one never again.
        for (var deploy = 0; deploy < 60; deploy++)
        {
            _time.Advance(TimeSpan.FromSeconds(10));
            var release = Json($"s_{deploy}");
            cache.Get(release);
            cache.Get(release);
            cache.Get(current);
        }

        Assert.Same(kept, cache.Get(current));
        Assert.NotSame(old, cache.Get(replaced));
        // Two generations of 30 s at one release per 10 s: at most 6 of them, with the current and the replaced one.
        Assert.InRange(cache.Count, 2, 8);
    }

    [Fact]
    public void Get_PassesOverManyServices_EachSpecDeserializedOnce()
    {
        var cache = new ReleaseSpecCache(_time);
        var texts = Enumerable.Range(0, 1000).Select(i => Json($"s_{i}")).ToList();
        var first = texts.Select(cache.Get).ToList();

        // An engine pass over 1,000 services every 5 s reads each release once: none is dropped between two reads.
        for (var pass = 0; pass < 30; pass++)
        {
            _time.Advance(TimeSpan.FromSeconds(5));
            for (var i = 0; i < texts.Count; i++)
            {
                Assert.Same(first[i], cache.Get(texts[i]));
            }
        }
    }

    [Fact]
    public void Get_MoreDistinctSpecsThanCapacity_HeldSpecsBounded()
    {
        var cache = new ReleaseSpecCache(_time);

        for (var i = 0; i < ReleaseSpecCache.Capacity * 3; i++)
        {
            cache.Get(Json($"s_{i}"));
        }

        Assert.InRange(cache.Count, 1, 2 * ReleaseSpecCache.Capacity);
    }
}
