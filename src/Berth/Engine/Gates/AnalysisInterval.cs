using Berth.Routing;

namespace Berth.Engine.Gates;

/// <summary>
/// How an analysis reads the interval that ended at <c>due</c> (a canary's or blue/green's analysis, an environment's
/// analysis gate): once the routers have reported all of it (they report about once a second); when that takes longer
/// than <see cref="ReportWait"/> (or the engine was away), the last interval as far as it is known, up to now.
/// </summary>
public static class AnalysisInterval
{
    /// <summary>How long past an interval's end its measurement waits for the routers to report all of it.</summary>
    public static readonly TimeSpan ReportWait = TimeSpan.FromSeconds(10);

    /// <summary>The time the measurement covers up to: the interval's end, or now once the wait is over.</summary>
    public static DateTimeOffset MeasuredUntil(DateTimeOffset due, DateTimeOffset now) => now - due <= ReportWait ? due : now;

    /// <summary>A release's traffic over the interval; null while the routers have not reported all of it.</summary>
    public static KpiSnapshot? Read(IKpiSource kpis, string service, int release, TimeSpan interval, DateTimeOffset due, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(kpis);
        return now - due <= ReportWait
            ? kpis.ForReleaseEndingAt(service, release, interval, due)
            : kpis.ForRelease(service, release, interval);
    }
}
