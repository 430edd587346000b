namespace Berth.Runtimes.Process;

/// <summary>
/// Compose health semantics for one replica: Starting until the first success; failures inside the start period
/// (before any success) do not count; after it, <see cref="HealthProbe.Retries"/> consecutive failures mean Unhealthy;
/// any success means Healthy.
/// </summary>
internal sealed class HealthTracker(HealthProbe probe, DateTimeOffset origin, bool startHealthy = false)
{
    private int _consecutiveFailures;

    /// <summary>Healthy from the start for an adopted replica that was healthy (its probes still count from the first).</summary>
    public ReplicaHealth Health { get; private set; } = startHealthy ? ReplicaHealth.Healthy : ReplicaHealth.Starting;

    public bool EverSucceeded { get; private set; } = startHealthy;

    /// <summary>The start period ends at its deadline or at the first success, whichever comes first.</summary>
    public bool InStartPeriod(DateTimeOffset now) => !EverSucceeded && now - origin < probe.StartPeriod;

    /// <summary>Delay before the next probe: the start interval while in the start period, else the interval.</summary>
    public TimeSpan NextDelay(DateTimeOffset now) => InStartPeriod(now) ? probe.StartInterval : probe.Interval;

    /// <summary>Records one probe outcome; returns true when <see cref="Health"/> changed.</summary>
    public bool Record(bool success, DateTimeOffset now)
    {
        var before = Health;
        if (success)
        {
            _consecutiveFailures = 0;
            EverSucceeded = true;
            Health = ReplicaHealth.Healthy;
        }
        else if (!InStartPeriod(now))
        {
            _consecutiveFailures++;
            if (_consecutiveFailures >= Math.Max(1, probe.Retries))
            {
                Health = ReplicaHealth.Unhealthy;
            }
        }

        return Health != before;
    }
}
