using Berth.Engine;
using Berth.Engine.Events;
using Berth.Store;
using Berth.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace Berth.Tests.Store;

public sealed class EventRetentionTests
{
    [Fact]
    public async Task AppendAsync_MoreThanKept_OldestDeletedNewestKeptInOrder()
    {
        using var dir = new TempDirectory();
        var store = new BerthStore(Options.Create(new StoreOptions { DataDirectory = dir.Path }));
        var log = new EventLog(store, TimeProvider.System, Options.Create(new EventLogOptions { EventsKept = 20 }));

        for (var i = 1; i <= 200; i++)
        {
            await log.AppendAsync("test.event", "s", "s_web", null, $"event {i}", CancellationToken.None);
        }

        var kept = await store.ReadAsync(tx => tx.GetEventsAsync(0, null, 1000, CancellationToken.None), CancellationToken.None);
        Assert.InRange(kept.Count, 20, 22);
        Assert.Equal("event 200", kept[^1].Message);
        Assert.Equal(Enumerable.Range(201 - kept.Count, kept.Count).Select(i => $"event {i}"), kept.Select(e => e.Message));
    }

    [Fact]
    public async Task AppendAsync_InsideACallersTransaction_AlsoPrunes()
    {
        using var dir = new TempDirectory();
        var store = new BerthStore(Options.Create(new StoreOptions { DataDirectory = dir.Path }));
        var log = new EventLog(store, TimeProvider.System, Options.Create(new EventLogOptions { EventsKept = 10 }));

        for (var i = 1; i <= 50; i++)
        {
            await store.WriteAsync(tx => log.AppendAsync(tx, "test.event", "s", null, null, $"event {i}", CancellationToken.None), CancellationToken.None);
        }

        var kept = await store.ReadAsync(tx => tx.GetEventsAsync(0, null, 1000, CancellationToken.None), CancellationToken.None);
        Assert.InRange(kept.Count, 10, 11);
        Assert.Equal("event 50", kept[^1].Message);
    }
}
