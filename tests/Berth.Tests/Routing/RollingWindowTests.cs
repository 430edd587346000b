using Berth.Routing;
using Microsoft.Extensions.Time.Testing;

namespace Berth.Tests.Routing;

public sealed class RollingWindowTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Query_AfterWindowPasses_OldCountsFallOut()
    {
        var time = new FakeTimeProvider(T0);
        var window = new RollingWindow(time);
        for (var i = 0; i < 10; i++)
        {
            window.Record(200, false, 10);
        }

        time.Advance(TimeSpan.FromSeconds(30));
        for (var i = 0; i < 5; i++)
        {
            window.Record(503, false, 10);
        }

        Assert.Equal(15, window.Query(TimeSpan.FromSeconds(60)).Requests);
        Assert.Equal(5, window.Query(TimeSpan.FromSeconds(10)).Requests);

        time.Advance(TimeSpan.FromSeconds(45)); // the first 10 are now 75 s old
        var minute = window.Query(TimeSpan.FromSeconds(60));
        Assert.Equal(5, minute.Requests);
        Assert.Equal(0, minute.Status2xx);
        Assert.Equal(5, minute.Status5xx);
        Assert.Equal(1.0, minute.ErrorRate);

        time.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(0, window.Query(TimeSpan.FromSeconds(60)).Requests);
        Assert.Equal(15, window.Query(TimeSpan.FromSeconds(300)).Requests);
    }

    [Fact]
    public void Record_TwentySecondsOfTraffic_CostsTwentySlotsNotTheWholeRing()
    {
        // A replica retired after 20 s keeps its window until the window is dropped: it must hold what it used, not
        // 300 slots of histograms (about 390 KB each window, which grew the server and router by MBs per deploy).
        var time = new FakeTimeProvider(T0);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var window = new RollingWindow(time);
        for (var second = 0; second < 20; second++)
        {
            for (var i = 0; i < 50; i++)
            {
                window.Record(200, false, i);
            }

            time.Advance(TimeSpan.FromSeconds(1));
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.InRange(allocated, 1, 20 * 1_400 + 4_000);
        Assert.Equal(1000, window.Query(TimeSpan.FromSeconds(60)).Requests);
    }

    [Fact]
    public void Record_SameSlotAfterFullRing_OldSecondReset()
    {
        var time = new FakeTimeProvider(T0);
        var window = new RollingWindow(time);
        window.Record(200, false, 1);
        window.Record(200, false, 1);

        time.Advance(TimeSpan.FromSeconds(RollingWindow.Seconds)); // same ring slot, 300 s later
        window.Record(500, false, 1);

        var all = window.Query(TimeSpan.FromSeconds(RollingWindow.Seconds));
        Assert.Equal(1, all.Requests);
        Assert.Equal(0, all.Status2xx);
        Assert.Equal(1, all.Status5xx);
    }

    [Fact]
    public void Record_ARequestTimedAWholeRingAgo_LeavesTheSlotsNewerSecondAlone()
    {
        var time = new FakeTimeProvider(T0 + TimeSpan.FromSeconds(RollingWindow.Seconds));
        var window = new RollingWindow(time);
        window.Record(200, false, 1);

        // A recorder that read the clock 300 s ago (same ring slot) records only now: its second is out of the window.
        window.Record(T0.ToUnixTimeSeconds(), 500, connectionError: false, latencyBucket: 0);

        var all = window.Query(TimeSpan.FromSeconds(RollingWindow.Seconds));
        Assert.Equal(1, all.Requests);
        Assert.Equal(1, all.Status2xx);
        Assert.Equal(0, all.Status5xx);
    }

    [Fact]
    public async Task Record_FromManyThreadsAtOnce_EveryRequestCounted()
    {
        var time = new FakeTimeProvider(T0);
        var window = new RollingWindow(time);
        const int Threads = 8, PerThread = 20_000;
        using var start = new Barrier(Threads);

        var recorders = Enumerable.Range(0, Threads).Select(t => Task.Factory.StartNew(
            () =>
            {
                start.SignalAndWait();
                for (var i = 0; i < PerThread; i++)
                {
                    window.Record(i % 4 == 0 ? 503 : 200, connectionError: i % 10 == 0, milliseconds: t + 1);
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default)).ToArray();
        await Task.WhenAll(recorders);

        var totals = window.Totals(TimeSpan.FromSeconds(1));
        var kpi = totals.ToSnapshot();
        Assert.Equal(Threads * PerThread, kpi.Requests);
        var errorsPerThread = PerThread / 10;
        var status503PerThread = Enumerable.Range(0, PerThread).Count(i => i % 4 == 0 && i % 10 != 0);
        Assert.Equal(Threads * errorsPerThread, kpi.ConnectionErrors);
        Assert.Equal(Threads * status503PerThread, kpi.Status5xx);
        Assert.Equal(Threads * (PerThread - errorsPerThread - status503PerThread), kpi.Status2xx);
        Assert.Equal(Threads * PerThread, window.Export(T0.ToUnixTimeSeconds() - 1).Single().LatencyCounts.Sum());
    }

    [Fact]
    public void Query_MixedOutcomes_CountedByClassWithConnectionErrorsApart()
    {
        var time = new FakeTimeProvider(T0);
        var window = new RollingWindow(time);
        window.Record(200, false, 1);
        window.Record(204, false, 1);
        window.Record(302, false, 1);
        window.Record(404, false, 1);
        window.Record(500, false, 1);
        window.Record(502, true, 1);

        var kpi = window.Query(TimeSpan.FromSeconds(1));

        Assert.Equal(6, kpi.Requests);
        Assert.Equal(2, kpi.Status2xx);
        Assert.Equal(1, kpi.Status3xx);
        Assert.Equal(1, kpi.Status4xx);
        Assert.Equal(1, kpi.Status5xx);
        Assert.Equal(1, kpi.ConnectionErrors);
        Assert.Equal(2.0 / 6, kpi.ErrorRate, 10);
        Assert.Equal(TimeSpan.FromSeconds(1), kpi.Window);
    }

    [Fact]
    public void Query_NothingRecorded_ZeroesWithoutDividingByZero()
    {
        var kpi = new RollingWindow(new FakeTimeProvider(T0)).Query(TimeSpan.FromMinutes(1));

        Assert.Equal(0, kpi.Requests);
        Assert.Equal(0, kpi.ErrorRate);
        Assert.Equal(0, kpi.P50Ms);
        Assert.Equal(0, kpi.P99Ms);
    }

    [Fact]
    public void Query_UniformLatencies_PercentilesWithinBucketResolution()
    {
        var time = new FakeTimeProvider(T0);
        var window = new RollingWindow(time);
        for (var ms = 1; ms <= 1000; ms++)
        {
            window.Record(200, false, ms);
        }

        var kpi = window.Query(TimeSpan.FromSeconds(5));

        // Buckets are 10 % wide: a percentile may be off by up to one bucket.
        Assert.InRange(kpi.P50Ms, 500 * 0.9, 500 * 1.1);
        Assert.InRange(kpi.P95Ms, 950 * 0.9, 950 * 1.1);
        Assert.InRange(kpi.P99Ms, 990 * 0.9, 990 * 1.1);
    }
}
