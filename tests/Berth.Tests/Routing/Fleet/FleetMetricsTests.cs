using Berth.Routing;
using Berth.Routing.Fleet;
using Microsoft.Extensions.Time.Testing;

namespace Berth.Tests.Routing.Fleet;

/// <summary>Windows reported by several routers, summed by the control plane, equal one router that saw all the traffic.</summary>
public sealed class FleetMetricsTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-12-05T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public void ForRelease_TwoRoutersMerged_EqualsTheSumOfTheirTraffic()
    {
        var a = new RouterMetrics(_time);
        var b = new RouterMetrics(_time);
        var all = new RouterMetrics(_time);
        var random = new Random(7);
        for (var second = 0; second < 20; second++)
        {
            for (var i = 0; i < 50; i++)
            {
                var router = random.Next(2) == 0 ? a : b;
                var status = random.Next(100) < 5 ? 503 : 200;
                var elapsed = TimeSpan.FromMilliseconds(random.Next(1, 400));
                var replica = $"web_app.{1 + random.Next(3)}.x";
                router.Record("web_app", 2, replica, status, connectionError: false, elapsed);
                all.Record("web_app", 2, replica, status, connectionError: false, elapsed);
            }

            _time.Advance(TimeSpan.FromSeconds(1));
        }

        var fleet = new FleetMetrics(_time);
        fleet.Absorb("router-a", new RouterMetricsReport(a.Export(0), null));
        fleet.Absorb("router-b", new RouterMetricsReport(b.Export(0), null));

        var merged = fleet.ForRelease("web_app", 2, TimeSpan.FromSeconds(30));
        var expected = all.ForRelease("web_app", 2, TimeSpan.FromSeconds(30));
        Assert.Equal(expected, merged);
        Assert.Equal(1000, merged.Requests);
        Assert.Equal(expected, fleet.ForRelease("web_app", 2, TimeSpan.FromSeconds(30)));
        Assert.Equal(all.ForReplica("web_app", "web_app.2.x", TimeSpan.FromSeconds(30)), fleet.ForReplica("web_app", "web_app.2.x", TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public void Absorb_TheSameSecondReportedAgain_ReplacesItNotAddsIt()
    {
        var router = new RouterMetrics(_time);
        var fleet = new FleetMetrics(_time);
        router.Record("web_app", 1, "web_app.1.x", 200, false, TimeSpan.FromMilliseconds(5));
        fleet.Absorb("r", new RouterMetricsReport(router.Export(0), null));
        router.Record("web_app", 1, "web_app.1.x", 500, false, TimeSpan.FromMilliseconds(5));
        fleet.Absorb("r", new RouterMetricsReport(router.Export(0), null));
        _time.Advance(TimeSpan.FromSeconds(1));
        fleet.Absorb("r", new RouterMetricsReport(router.Export(0), null));

        var snapshot = fleet.ForRelease("web_app", 1, TimeSpan.FromSeconds(10));

        Assert.Equal(2, snapshot.Requests);
        Assert.Equal(1, snapshot.Status5xx);
    }

    [Fact]
    public void ForRelease_ShortWindow_MeasuresTheLastWholeSecondNotTheOneStillFilling()
    {
        // A 1 s analysis interval read just after a report: the second filling when the router reported holds a few
        // requests; the whole second before it holds what the interval is about.
        var router = new RouterMetrics(_time);
        var fleet = new FleetMetrics(_time);
        for (var i = 0; i < 100; i++)
        {
            router.Record("web_app", 3, "web_app.1.x", 200, false, TimeSpan.FromMilliseconds(5));
        }

        _time.Advance(TimeSpan.FromSeconds(1.1));
        for (var i = 0; i < 10; i++)
        {
            router.Record("web_app", 3, "web_app.1.x", 503, false, TimeSpan.FromMilliseconds(5));
        }

        fleet.Absorb("r", new RouterMetricsReport(router.Export(0), null));

        var interval = fleet.ForRelease("web_app", 3, TimeSpan.FromSeconds(1));
        Assert.Equal(100, interval.Requests);
        Assert.Equal(0, interval.Status5xx);

        // Once the router is silent (gone), what it sent counts up to now again.
        _time.Advance(TimeSpan.FromSeconds(8));
        Assert.Equal(110, fleet.ForRelease("web_app", 3, TimeSpan.FromSeconds(10)).Requests);
    }

    [Fact]
    public void ForReleaseEndingAt_IntervalNotYetReportedWhole_NullThenExactlyItsSeconds()
    {
        // A 2 s analysis interval ends at 10:00:02.5. The router's traffic: 10 requests a second before the interval,
        // 30 a second during it and after it. Until a report sent after 10:00:03 holds second 02 whole, the interval is unknown.
        var router = new RouterMetrics(_time);
        var fleet = new FleetMetrics(_time);
        var start = _time.GetUtcNow();
        for (var second = 0; second < 4; second++)
        {
            for (var i = 0; i < (second == 0 ? 10 : 30); i++)
            {
                router.Record("web_app", 2, "web_app.1.x", 200, false, TimeSpan.FromMilliseconds(5));
            }

            _time.Advance(TimeSpan.FromSeconds(0.5));
            if (second < 2)
            {
                fleet.Absorb("r", new RouterMetricsReport(router.Export(0), null));
            }

            _time.Advance(TimeSpan.FromSeconds(0.5));
        }

        var end = start + TimeSpan.FromSeconds(2.5);
        Assert.Null(fleet.ForReleaseEndingAt("web_app", 2, TimeSpan.FromSeconds(2), end));

        fleet.Absorb("r", new RouterMetricsReport(router.Export(0), null));
        var interval = fleet.ForReleaseEndingAt("web_app", 2, TimeSpan.FromSeconds(2), end);

        Assert.NotNull(interval);
        Assert.Equal(60, interval.Requests);
    }

    [Fact]
    public void ForReleaseEndingAt_OneRouterSilentForSeconds_NotWaitedFor()
    {
        var live = new RouterMetrics(_time);
        var fleet = new FleetMetrics(_time);
        fleet.Absorb("gone", new RouterMetricsReport([], null));
        var end = _time.GetUtcNow() + TimeSpan.FromSeconds(1);
        live.Record("web_app", 2, "web_app.1.x", 200, false, TimeSpan.FromMilliseconds(5));
        _time.Advance(TimeSpan.FromSeconds(2));
        fleet.Absorb("live", new RouterMetricsReport(live.Export(0), null));

        Assert.Null(fleet.ForReleaseEndingAt("web_app", 2, TimeSpan.FromSeconds(1), end));

        _time.Advance(TimeSpan.FromSeconds(5));
        fleet.Absorb("live", new RouterMetricsReport(live.Export(0), null));

        Assert.Equal(1, fleet.ForReleaseEndingAt("web_app", 2, TimeSpan.FromSeconds(1), end)?.Requests);
    }

    [Fact]
    public void Absorb_WindowsNotReportedForFiveMinutes_AreDropped()
    {
        var router = new RouterMetrics(_time);
        var fleet = new FleetMetrics(_time);
        router.Record("old_app", 1, "old_app.1.x", 200, false, TimeSpan.FromMilliseconds(5));
        fleet.Absorb("r", new RouterMetricsReport(router.Export(0), null));

        _time.Advance(TimeSpan.FromMinutes(6));
        fleet.Absorb("r", new RouterMetricsReport([], null));

        Assert.Equal(0, fleet.ForRelease("old_app", 1, TimeSpan.FromMinutes(5)).Requests);
    }

    [Fact]
    public void PrometheusText_TwoRouters_OneHeaderPerFamilyAndARouterLabelOnEverySample()
    {
        var fleet = new FleetMetrics(_time);
        const string text = "# HELP berth_router_requests_total Requests.\n# TYPE berth_router_requests_total counter\nberth_router_requests_total{service=\"web\",code=\"2xx\"} 3\n";
        fleet.Absorb("node-1", new RouterMetricsReport([], text));
        fleet.Absorb("node-2", new RouterMetricsReport([], text.Replace(" 3\n", " 4\n", StringComparison.Ordinal)));

        var merged = fleet.PrometheusText();

        Assert.Single(merged.Split('\n'), l => l.StartsWith("# TYPE berth_router_requests_total", StringComparison.Ordinal));
        Assert.Contains("berth_router_requests_total{service=\"web\",code=\"2xx\",router=\"node-1\"} 3", merged);
        Assert.Contains("berth_router_requests_total{service=\"web\",code=\"2xx\",router=\"node-2\"} 4", merged);
    }
}
