namespace Berth.Routing;

/// <summary>Where the engine reads a release's traffic from: the router's measurements (later, merged from several routers).</summary>
public interface IKpiSource
{
    /// <summary>A release's traffic over the last <paramref name="window"/>; zero requests when none was seen.</summary>
    KpiSnapshot ForRelease(string service, int release, TimeSpan window);
}
