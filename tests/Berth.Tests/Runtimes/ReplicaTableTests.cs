using Berth.Runtimes;

namespace Berth.Tests.Runtimes;

public sealed class ReplicaTableTests
{
    /// <summary>A class, as the drivers' entries are: two entries are the same only if they are the same object.</summary>
    private sealed class Entry(string id, string service)
    {
        public string Id { get; } = id;
        public string Service { get; } = service;
    }

    private static ReplicaTable<Entry> NewTable() => new(e => e.Service);

    [Fact]
    public void Of_GivesOneServicesEntriesOnly()
    {
        var table = NewTable();
        table.Set("a.1", new Entry("a.1", "a"));
        table.Set("a.2", new Entry("a.2", "a"));
        table.Set("b.1", new Entry("b.1", "b"));

        Assert.Equal(["a.1", "a.2"], table.Of("a").Select(e => e.Id).Order());
        Assert.Equal(["b.1"], table.Of("b").Select(e => e.Id));
        Assert.Empty(table.Of("c"));
        Assert.Equal(3, table.Count);
    }

    [Fact]
    public void Set_SameId_ReplacesAndReturnsThePrevious()
    {
        var table = NewTable();
        var first = new Entry("a.1", "a");
        var second = new Entry("a.1", "a");

        Assert.Null(table.Set("a.1", first));
        Assert.Same(first, table.Set("a.1", second));
        Assert.Same(second, Assert.Single(table.Of("a")));
        Assert.True(table.TryGetValue("a.1", out var found));
        Assert.Same(second, found);
    }

    [Fact]
    public void TryRemove_OnlyTheExpectedEntry()
    {
        var table = NewTable();
        var current = new Entry("a.1", "a");
        table.Set("a.1", current);

        Assert.False(table.TryRemove("a.1", new Entry("a.1", "a")));
        Assert.Single(table.Of("a"));
        Assert.True(table.TryRemove("a.1", current));
        Assert.Empty(table.Of("a"));
        Assert.False(table.TryGetValue("a.1", out _));
    }

    [Fact]
    public async Task ConcurrentSetsAndRemoves_IndexAgreesWithTheTable()
    {
        var table = NewTable();
        await Parallel.ForAsync(0, 4000, new ParallelOptions { MaxDegreeOfParallelism = 4 }, (i, _) =>
        {
            var entry = new Entry($"s{i % 7}.{i}", $"s{i % 7}");
            table.Set(entry.Id, entry);
            if (i % 3 == 0)
            {
                table.TryRemove(entry.Id, entry);
            }

            return ValueTask.CompletedTask;
        });

        var byService = Enumerable.Range(0, 7).SelectMany(s => table.Of($"s{s}")).Select(e => e.Id).Order().ToList();
        Assert.Equal(table.Values.Select(e => e.Id).Order().ToList(), byService);
        Assert.Equal(4000 - 1334, table.Count);
    }
}
