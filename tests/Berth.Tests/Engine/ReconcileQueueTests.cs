using Berth.Engine;
using Microsoft.Extensions.Time.Testing;

namespace Berth.Tests.Engine;

public sealed class ReconcileQueueTests
{
    [Fact]
    public async Task Enqueue_SameServiceTwice_DequeuedOnce()
    {
        var queue = new ReconcileQueue(new FakeTimeProvider());

        queue.Enqueue("a");
        queue.Enqueue("a");
        queue.Enqueue("b");

        Assert.Equal("a", await queue.DequeueAsync(CancellationToken.None));
        Assert.Equal("b", await queue.DequeueAsync(CancellationToken.None));
        Assert.Equal(0, queue.ReadyCount);
    }

    [Fact]
    public async Task Enqueue_WhileProcessing_RequeuedAfterDoneNotHandedOutTwice()
    {
        var queue = new ReconcileQueue(new FakeTimeProvider());
        queue.Enqueue("a");
        var taken = await queue.DequeueAsync(CancellationToken.None);

        queue.Enqueue("a");
        Assert.Equal(0, queue.ReadyCount);
        queue.Done(taken);

        Assert.Equal(1, queue.ReadyCount);
        Assert.Equal("a", await queue.DequeueAsync(CancellationToken.None));
    }

    [Fact]
    public async Task EnqueueAfter_FiresWhenFakeClockPassesDelay()
    {
        var time = new FakeTimeProvider();
        var queue = new ReconcileQueue(time);

        queue.EnqueueAfter("a", TimeSpan.FromSeconds(5));
        time.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(0, queue.ReadyCount);
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(1, queue.ReadyCount);
        Assert.Equal("a", await queue.DequeueAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Claim_WhileAWorkerProcessesTheService_WaitsForItsDone()
    {
        var queue = new ReconcileQueue(new FakeTimeProvider());
        queue.Enqueue("a");
        var taken = await queue.DequeueAsync(CancellationToken.None);

        var claim = queue.ClaimAsync("a", CancellationToken.None);
        Assert.False(claim.IsCompleted);
        queue.Done(taken);

        using (await claim.WaitAsync(TimeSpan.FromSeconds(10)))
        {
            Assert.Equal(0, queue.ReadyCount);
        }
    }

    [Fact]
    public async Task Claim_OfAQueuedService_KeepsWorkersOffUntilDisposed_ThenItRuns()
    {
        var queue = new ReconcileQueue(new FakeTimeProvider());
        queue.Enqueue("a");

        var claim = await queue.ClaimAsync("a", CancellationToken.None);
        Assert.Equal(0, queue.ReadyCount);
        queue.Enqueue("a");
        Assert.Equal(0, queue.ReadyCount);
        claim.Dispose();
        claim.Dispose();

        Assert.Equal(1, queue.ReadyCount);
        Assert.Equal("a", await queue.DequeueAsync(CancellationToken.None));
        Assert.Equal(0, queue.ReadyCount);
    }
}
