using System.Globalization;
using System.Threading.Channels;
using Berth.Api;
using Berth.Routing;
using Berth.Routing.Fleet;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Berth.Tests.Routing.Fleet;

/// <summary>
/// The control plane's side of the routers: a route change counts as applied only when every live router has
/// acknowledged it (a withheld acknowledgement holds the step), a router not heard from is left out with an event, a
/// router's refusal is the change's error, and a router that connects first gets every route.
/// </summary>
public sealed class RouterFleetTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-12-05T10:00:00Z", CultureInfo.InvariantCulture));
    private readonly RecordingObserver _observer = new();
    private readonly RouterFleet _fleet;

    public RouterFleetTests()
    {
        _fleet = new RouterFleet(_time, Options.Create(new FleetOptions()), _observer);
    }

    [Fact]
    public async Task Apply_TwoRouters_CountsAsSetOnlyOnceBothAcknowledged()
    {
        var a = _fleet.Connect("a");
        var b = _fleet.Connect("b");
        AcknowledgeAll("a", a);
        AcknowledgeAll("b", b);

        var apply = _fleet.ApplyAsync(Route("web_app", weight: 25), CancellationToken.None);
        var sentToA = Drain(a).Single();
        var sentToB = Drain(b).Single();
        _fleet.Acknowledge("a", new RouterAck(sentToA.Version, NoErrors));
        await Settle();

        Assert.False(apply.IsCompleted, "the weight counted as set with one router of two");
        Assert.Null(_fleet.Current("web_app"));

        _fleet.Acknowledge("b", new RouterAck(sentToB.Version, NoErrors));
        var result = await apply.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.True(result.Applied);
        Assert.Equal(sentToA.Version, sentToB.Version);
        Assert.Equal(25, _fleet.Current("web_app")!.CandidateWeight);
    }

    [Fact]
    public async Task Apply_ARouterWithholdsItsAck_HoldsThenFailsNamingIt()
    {
        var a = _fleet.Connect("a");
        var b = _fleet.Connect("b");
        AcknowledgeAll("a", a);
        AcknowledgeAll("b", b);

        var apply = _fleet.ApplyAsync(Route("web_app", weight: 50), CancellationToken.None);
        _fleet.Acknowledge("a", new RouterAck(Drain(a).Single().Version, NoErrors));
        for (var second = 0; second < 9; second++)
        {
            // b stays alive (it reports) but never acknowledges the new version.
            _fleet.Heard("b", Report());
            _time.Advance(TimeSpan.FromSeconds(1));
            await Settle();
            Assert.False(apply.IsCompleted, $"the step went on after {second + 1} s without router b's ack");
        }

        // It gives up after the acknowledgement timeout plus the route's drain timeout (a drain may hold an ack).
        for (var second = 0; second < 60 && !apply.IsCompleted; second++)
        {
            _fleet.Heard("b", Report());
            _time.Advance(TimeSpan.FromSeconds(1));
            await Settle();
        }

        var result = await apply.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(result.Applied);
        Assert.Contains("router(s) b did not acknowledge route version", result.Error);
    }

    [Fact]
    public async Task Apply_ARouterGoneSilent_LeftOutAfterStaleAfterWithAnEvent()
    {
        var a = _fleet.Connect("a");
        var b = _fleet.Connect("b");
        AcknowledgeAll("a", a);
        AcknowledgeAll("b", b);

        var apply = _fleet.ApplyAsync(Route("web_app", weight: 10), CancellationToken.None);
        _fleet.Acknowledge("a", new RouterAck(Drain(a).Single().Version, NoErrors));
        for (var second = 0; second < 11; second++)
        {
            _fleet.Heard("a", Report());
            _time.Advance(TimeSpan.FromSeconds(1));
            _fleet.CheckStaleness();
            await Settle();
        }

        var result = await apply.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.True(result.Applied);
        Assert.Contains(("b", "router.stale"), _observer.Changes);
        Assert.DoesNotContain(("a", "router.stale"), _observer.Changes);
        Assert.Equal(["live", "stale"], _fleet.List().Select(r => r.State));
    }

    [Fact]
    public async Task Apply_ARouterRefusesTheRoute_FailsWithItsReason()
    {
        var a = _fleet.Connect("a");
        AcknowledgeAll("a", a);

        var apply = _fleet.ApplyAsync(Route("web_app", weight: 0), CancellationToken.None);
        _fleet.Acknowledge("a", new RouterAck(Drain(a).Single().Version, new Dictionary<string, string> { ["web_app"] = "port 8080 is in use" }));
        var result = await apply.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.False(result.Applied);
        Assert.Equal("port 8080 is in use", result.Error);
        Assert.Null(_fleet.Current("web_app"));
        Assert.Equal("port 8080 is in use", _fleet.List().Single().Errors["web_app"]);
    }

    [Fact]
    public async Task Apply_NoRouterConnected_FailsAfterTheGraceSayingSo()
    {
        var apply = _fleet.ApplyAsync(Route("web_app", weight: 0), CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(14));
        await Settle();
        Assert.False(apply.IsCompleted);

        _time.Advance(TimeSpan.FromSeconds(2));
        var result = await apply.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.False(result.Applied);
        Assert.Contains("no Berth router is connected", result.Error);
    }

    [Fact]
    public async Task Connect_ALateRouter_GetsEveryRouteFirst_AndOnlyDropsOthersOnceAuthoritative()
    {
        var a = _fleet.Connect("a");
        AcknowledgeAll("a", a);
        var web = _fleet.ApplyAsync(Route("web_app", weight: 0), CancellationToken.None);
        AcknowledgeAll("a", a);
        var api = _fleet.ApplyAsync(Route("api_app", weight: 0), CancellationToken.None);
        AcknowledgeAll("a", a);
        await Task.WhenAll(web, api).WaitAsync(TimeSpan.FromSeconds(5));

        var late = _fleet.Connect("late");
        var first = Drain(late).Single();
        _fleet.MarkAuthoritative();
        var authoritative = Drain(late).Single();

        Assert.True(first.Full);
        Assert.False(first.Authoritative);
        Assert.Equal(["api_app", "web_app"], first.Upserts.Select(r => r.Service).Order(StringComparer.Ordinal));
        Assert.True(authoritative is { Full: true, Authoritative: true });
        Assert.True(authoritative.Version > first.Version);
        Assert.Contains(("late", "router.joined"), _observer.Changes);
    }

    [Fact]
    public async Task Drain_AReplica_SentWithoutIt_AndWaitsForTheAck()
    {
        var a = _fleet.Connect("a");
        AcknowledgeAll("a", a);
        var apply = _fleet.ApplyAsync(Route("web_app", weight: 0), CancellationToken.None);
        AcknowledgeAll("a", a);
        await apply.WaitAsync(TimeSpan.FromSeconds(5));

        var drain = _fleet.DrainAsync("web_app", "web_app.1.a", CancellationToken.None);
        var update = Drain(a).Single();
        await Settle();
        Assert.False(drain.IsCompleted);
        _fleet.Acknowledge("a", new RouterAck(update.Version, NoErrors));
        await drain.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(["web_app.2.b"], update.Upserts.Single().Stable.Destinations.Select(d => d.ReplicaId));
        Assert.Equal(["web_app.2.b"], _fleet.Current("web_app")!.Stable.Destinations.Select(d => d.ReplicaId));
    }

    [Fact]
    public void List_ReportsEachRoutersPidNodeVersionAndWhetherItIsBehind()
    {
        var a = _fleet.Connect("a");
        _fleet.Heard("a", Report());
        var lagging = _fleet.List().Single();
        AcknowledgeAll("a", a);
        var current = _fleet.List().Single();

        Assert.Equal(("a", 4242, "node-1", "1.2.3", "live"), (lagging.Id, lagging.Pid, lagging.Node, lagging.Version, lagging.State));
        Assert.True(lagging.Behind);
        Assert.False(current.Behind);
        Assert.Equal(_fleet.Version, current.RouteVersion);
    }

    [Fact]
    public void Heard_ARouterOfAnotherBerthVersion_ShownOutdatedWithOneEvent()
    {
        var fleet = new RouterFleet(_time, Options.Create(new FleetOptions { ServerVersion = "1.3.0" }), _observer);
        fleet.Connect("old");
        fleet.Connect("new");

        fleet.Heard("old", Report() with { Version = "1.2.0" });
        fleet.Heard("old", Report() with { Version = "1.2.0" });
        fleet.Heard("new", Report() with { Version = "1.3.0" });

        Assert.Equal([("new", false), ("old", true)], fleet.List().Select(r => (r.Id, r.Outdated)));
        Assert.Single(_observer.Changes, c => c.Change == "router.outdated");
        Assert.Contains(("old", "router.outdated"), _observer.Changes);
    }

    private static readonly Dictionary<string, string> NoErrors = [];

    private void AcknowledgeAll(string router, ChannelReader<RouteUpdate> stream)
    {
        foreach (var update in Drain(stream))
        {
            _fleet.Acknowledge(router, new RouterAck(update.Version, NoErrors));
        }
    }

    private static List<RouteUpdate> Drain(ChannelReader<RouteUpdate> stream)
    {
        var updates = new List<RouteUpdate>();
        while (stream.TryRead(out var update))
        {
            updates.Add(update);
        }

        return updates;
    }

    /// <summary>Lets the waiting apply run its continuations (they run asynchronously) without a blind delay.</summary>
    private static async Task Settle()
    {
        for (var i = 0; i < 20; i++)
        {
            await Task.Yield();
        }

        await Task.Delay(20);
    }

    private static RouterReport Report() =>
        new("node-1", 4242, DateTimeOffset.UnixEpoch, "1.2.3", 0, [], new RouterMetricsReport([], null));

    private static ServiceRoute Route(string service, int weight) => new()
    {
        Service = service,
        Stable = new RoutePool("stable", 1, [new RouteDestination($"{service}.1.a", 1, "127.0.0.1:1001"), new RouteDestination($"{service}.2.b", 1, "127.0.0.1:1002")]),
        Candidate = weight > 0 ? new RoutePool("canary", 2, [new RouteDestination($"{service}.3.c", 2, "127.0.0.1:1003")]) : null,
        CandidateWeight = weight,
    };

    private sealed class RecordingObserver : IRouterFleetObserver
    {
        public List<(string Router, string Change)> Changes { get; } = [];

        public Task RouterChangedAsync(string routerId, string change, string message, CancellationToken cancellationToken)
        {
            lock (Changes)
            {
                Changes.Add((routerId, change));
            }

            return Task.CompletedTask;
        }
    }
}
