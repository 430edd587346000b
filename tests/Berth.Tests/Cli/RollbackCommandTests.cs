using System.Text.Json;
using Berth.Api;

namespace Berth.Tests.Cli;

public sealed class RollbackCommandTests
{
    private static RolloutInfo Rollback(string state, int updated = 0) =>
        Samples.Rollout(kind: "rollback", id: 9, from: 3, to: 1, state: state, updated: updated);

    [Fact]
    public async Task Rollback_To_SendsRequestAndWatchesUntilCompleted()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.OnJson("POST", ApiRoutes.Rollback("articles_app"), () => Rollback("rolling_back"));
        var polls = 0;
        api.OnJson("GET", ApiRoutes.Rollout("articles_app"), () => Interlocked.Increment(ref polls) > 1 ? Rollback("completed", 3) : Rollback("rolling_back", 1));

        var run = await CliRun.RunAsync(api, "rollback", "articles_app", "--to", "1");

        Assert.Equal(0, run.ExitCode);
        var post = Assert.Single(api.Requests, r => r.Method == "POST");
        Assert.Equal(ApiRoutes.Rollback("articles_app"), post.Path);
        Assert.Equal(new RollbackRequest(1), JsonSerializer.Deserialize<RollbackRequest>(post.Body, ApiJson.Options));
        Assert.Equal(2, polls);
        Assert.Contains("Rolling back articles_app from release 3 to release 1", run.Out);
        Assert.Contains("release 1: 3/3 updated (completed)", run.Out);
        Assert.Contains("articles_app: rollback to release 1 completed", run.Out);
    }

    [Fact]
    public async Task Rollback_AfterABlueGreenSwitch_SaysTheOldReleaseServesAgainAndDoesNotWatch()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.OnJson("POST", ApiRoutes.Rollback("articles_app"), () => Samples.Rollout(from: 1, to: 2, state: "aborted") with
        {
            Strategy = "blue-green",
            Progress = new RolloutProgressInfo { Step = 1, Steps = 1, Phase = "promoted", Weight = 100, CandidateReplicas = 3 },
        });

        var run = await CliRun.RunAsync(api, "rollback", "articles_app");

        Assert.Equal(0, run.ExitCode);
        Assert.Single(api.Requests);
        Assert.Contains("Rolled articles_app back to release 1: it still ran since the switch to release 2, so it serves again at once", run.Out);
    }

    [Fact]
    public async Task Rollback_NoTo_SendsNullAndDetachReturnsAtOnce()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.OnJson("POST", ApiRoutes.Rollback("articles_app"), () => Rollback("rolling_back"));

        var run = await CliRun.RunAsync(api, "rollback", "articles_app", "--detach");

        Assert.Equal(0, run.ExitCode);
        var post = Assert.Single(api.Requests);
        Assert.Equal(new RollbackRequest(null), JsonSerializer.Deserialize<RollbackRequest>(post.Body, ApiJson.Options));
        Assert.Contains("Rolling back articles_app from release 3 to release 1", run.Out);
    }

    [Fact]
    public async Task Rollback_Paused_ExitsOne()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.OnJson("POST", ApiRoutes.Rollback("articles_app"), () => Rollback("rolling_back"));
        api.OnJson("GET", ApiRoutes.Rollout("articles_app"), () => Samples.Rollout(kind: "rollback", id: 9, from: 3, to: 1, state: "paused", reason: "paused by user"));

        var run = await CliRun.RunAsync(api, "rollback", "articles_app");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("error: articles_app: rollback to release 1 paused: paused by user", run.Error);
    }

    [Fact]
    public async Task Rollback_UnknownRelease_ExitsTwoWithServerMessage()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.OnError("POST", ApiRoutes.Rollback("articles_app"), 400, "articles_app has no release 9");

        var run = await CliRun.RunAsync(api, "rollback", "articles_app", "--to", "9");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("error: articles_app has no release 9", run.Error);
    }

    [Fact]
    public async Task Rollback_ToZero_ExitsTwoSendsNothing()
    {
        await using var api = await FakeBerthApi.StartAsync();

        var run = await CliRun.RunAsync(api, "rollback", "articles_app", "--to", "0");

        Assert.Equal(2, run.ExitCode);
        Assert.Empty(api.Requests);
    }
}
