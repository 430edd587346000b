namespace Berth.Routing;

/// <summary>Where the engine reads a release's traffic from: the router's measurements, or every router's merged.</summary>
public interface IKpiSource
{
    /// <summary>A release's traffic over the last <paramref name="window"/>; zero requests when none was seen.</summary>
    KpiSnapshot ForRelease(string service, int release, TimeSpan window);

    /// <summary>
    /// A release's traffic over the <paramref name="window"/> that ends at <paramref name="end"/> (in whole seconds: its
    /// last second is the one <paramref name="end"/> closes or falls in), or null while that traffic is not all known
    /// yet: the second is still filling, or a router has not reported it. Analysis measures an interval with it once
    /// the interval is whole, so a router's report lag cannot make the interval look empty.
    /// </summary>
    KpiSnapshot? ForReleaseEndingAt(string service, int release, TimeSpan window, DateTimeOffset end);
}
