using Berth.Tests.Infrastructure;
using System.Globalization;
using Berth.Routing;

namespace Berth.Tests.Routing;

[Collection(RoutingCollection.Name)]
public sealed class StickySplitTests
{
    private const int Users = 10_000;

    private static (string, string)[] AsUser(int user) => [("Cookie", $"berth_user=user-{user.ToString(CultureInfo.InvariantCulture)}")];

    private static ServiceRoute Split(int port, TestUpstream stable, TestUpstream candidate, int weight) =>
        RouterRig.Route("web", port, stable) with { Candidate = RouterRig.Pool("candidate", 2, candidate), CandidateWeight = weight };

    [Fact]
    public async Task Request_Weight10_TenPercentOfUsersStickToCandidate()
    {
        await using var rig = new RouterRig();
        await using var a = await TestUpstream.StartAsync("A");
        await using var b = await TestUpstream.StartAsync("B");
        var port = LoopbackPort.Free();
        await rig.ApplyOrFailAsync(Split(port, a, b, 10));

        var first = await rig.GetManyAsync(port, Users, workers: 8, headersOf: AsUser);

        ReplyAssertions.AllOk(first, "one request per user");
        var share = first.Count(r => r.Body == "B") / (double)Users;
        Assert.True(share is >= 0.085 and <= 0.115, $"weight 10: {share:P2} of {Users} users reached the candidate (want 10 % ± 1.5 %)");

        // 200 users, 20 requests each: every one lands where that user's first request did.
        const int sampled = 200, repeats = 20;
        var again = await rig.GetManyAsync(port, sampled * repeats, workers: 8, headersOf: i => AsUser(i % sampled));
        ReplyAssertions.AllOk(again, "repeated requests");
        var moved = Enumerable.Range(0, again.Length).Where(i => again[i].Body != first[i % sampled].Body).ToList();
        Assert.True(moved.Count == 0, $"{moved.Count} of {again.Length} repeated requests landed on another release than the user's first, e.g. user-{(moved.Count > 0 ? moved[0] % sampled : -1)}");
        Assert.Contains(Enumerable.Range(0, sampled), u => first[u].Body == "B");
    }

    [Fact]
    public async Task ApplyAsync_WeightRaised10To30_NoCandidateUserMovesBackToStable()
    {
        await using var rig = new RouterRig();
        await using var a = await TestUpstream.StartAsync("A");
        await using var b = await TestUpstream.StartAsync("B");
        var port = LoopbackPort.Free();
        await rig.ApplyOrFailAsync(Split(port, a, b, 10));
        var at10 = await rig.GetManyAsync(port, 2_000, workers: 8, headersOf: AsUser);
        var onCandidate = Enumerable.Range(0, at10.Length).Where(u => at10[u].Body == "B").ToArray();
        Assert.True(onCandidate.Length > 100, $"only {onCandidate.Length} of 2000 users on the candidate at weight 10");

        await rig.ApplyOrFailAsync(Split(port, a, b, 30));
        var at30 = await rig.GetManyAsync(port, 2_000, workers: 8, headersOf: AsUser);

        ReplyAssertions.AllOk(at30, "after raising the weight");
        var movedBack = onCandidate.Where(u => at30[u].Body != "B").ToList();
        Assert.True(movedBack.Count == 0, $"{movedBack.Count} users on the candidate at weight 10 went back to stable at 30, e.g. user-{(movedBack.Count > 0 ? movedBack[0] : -1)}");
        var share30 = at30.Count(r => r.Body == "B") / 2000.0;
        Assert.True(share30 is >= 0.26 and <= 0.34, $"weight 30: {share30:P1} on the candidate");
    }

    [Fact]
    public async Task Request_WithoutUserCookie_SetsBerthUserCookie()
    {
        await using var rig = new RouterRig();
        await using var a = await TestUpstream.StartAsync("A");
        await using var b = await TestUpstream.StartAsync("B");
        var port = LoopbackPort.Free();
        await rig.ApplyOrFailAsync(Split(port, a, b, 10));

        var anonymous = await rig.GetAsync(port);
        var known = await rig.GetAsync(port, "/", AsUser(1));

        Assert.True(anonymous.Ok, anonymous.ToString());
        Assert.NotNull(anonymous.SetCookie);
        Assert.StartsWith("berth_user=", anonymous.SetCookie, StringComparison.Ordinal);
        Assert.Null(known.SetCookie);

        // The id handed out keeps that user on one release.
        var cookie = anonymous.SetCookie.Split(';')[0];
        var replies = await rig.GetManyAsync(port, 20, workers: 2, headersOf: _ => [("Cookie", cookie)]);
        Assert.Single(replies.Select(r => r.Body).Distinct());
    }

    [Fact]
    public async Task Request_UserHeaderConfigured_SplitsByHeaderNotCookie()
    {
        await using var rig = new RouterRig();
        await using var a = await TestUpstream.StartAsync("A");
        await using var b = await TestUpstream.StartAsync("B");
        var port = LoopbackPort.Free();
        await rig.ApplyOrFailAsync(Split(port, a, b, 50) with { Settings = new RouteSettings { UserHeader = "X-User" } });
        var candidateUser = Enumerable.Range(0, 1000).Select(i => $"u{i}").First(u => StickyBuckets.Of(u) < 50);
        var stableUser = Enumerable.Range(0, 1000).Select(i => $"u{i}").First(u => StickyBuckets.Of(u) >= 50);

        var toCandidate = await rig.GetManyAsync(port, 10, headersOf: _ => [("X-User", candidateUser), ("Cookie", $"berth_user={stableUser}")]);
        var toStable = await rig.GetManyAsync(port, 10, headersOf: _ => [("X-User", stableUser), ("Cookie", $"berth_user={candidateUser}")]);

        Assert.All(toCandidate, r => Assert.Equal("B", r.Body));
        Assert.All(toStable, r => Assert.Equal("A", r.Body));
    }
}
