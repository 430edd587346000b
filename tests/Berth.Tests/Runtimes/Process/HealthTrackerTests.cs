using Berth.Runtimes;
using Berth.Runtimes.Process;

namespace Berth.Tests.Runtimes.Process;

public sealed class HealthTrackerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Record_FailuresAfterStartPeriod_UnhealthyAtRetries()
    {
        var tracker = new HealthTracker(new HealthProbe { Command = ["x"], Retries = 3 }, T0);

        Assert.False(tracker.Record(false, T0.AddSeconds(1)));
        Assert.False(tracker.Record(false, T0.AddSeconds(2)));
        Assert.True(tracker.Record(false, T0.AddSeconds(3)));
        Assert.Equal(ReplicaHealth.Unhealthy, tracker.Health);
    }

    [Fact]
    public void Record_FailuresInStartPeriod_NotCounted()
    {
        var tracker = new HealthTracker(new HealthProbe { Command = ["x"], Retries = 1, StartPeriod = TimeSpan.FromSeconds(10) }, T0);

        tracker.Record(false, T0.AddSeconds(1));
        tracker.Record(false, T0.AddSeconds(9));
        Assert.Equal(ReplicaHealth.Starting, tracker.Health);

        tracker.Record(false, T0.AddSeconds(11));
        Assert.Equal(ReplicaHealth.Unhealthy, tracker.Health);
    }

    [Fact]
    public void Record_SuccessInStartPeriod_EndsStartPeriod()
    {
        var probe = new HealthProbe { Command = ["x"], Retries = 1, StartPeriod = TimeSpan.FromSeconds(10), Interval = TimeSpan.FromSeconds(30), StartInterval = TimeSpan.FromSeconds(2) };
        var tracker = new HealthTracker(probe, T0);
        Assert.Equal(TimeSpan.FromSeconds(2), tracker.NextDelay(T0));

        tracker.Record(true, T0.AddSeconds(1));
        Assert.Equal(ReplicaHealth.Healthy, tracker.Health);
        Assert.Equal(TimeSpan.FromSeconds(30), tracker.NextDelay(T0.AddSeconds(1)));

        tracker.Record(false, T0.AddSeconds(2));
        Assert.Equal(ReplicaHealth.Unhealthy, tracker.Health);
    }

    [Fact]
    public void Record_SuccessAfterUnhealthy_HealthyAgainAndFailuresReset()
    {
        var tracker = new HealthTracker(new HealthProbe { Command = ["x"], Retries = 2 }, T0);
        tracker.Record(false, T0);
        tracker.Record(false, T0);

        Assert.True(tracker.Record(true, T0));
        tracker.Record(false, T0);
        Assert.Equal(ReplicaHealth.Healthy, tracker.Health);
    }
}
