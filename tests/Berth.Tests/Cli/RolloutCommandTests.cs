using System.Text.Json;
using Berth.Api;

namespace Berth.Tests.Cli;

public sealed class RolloutCommandTests
{
    [Theory]
    [InlineData("completed", 0)]
    [InlineData("updating", 0)]
    [InlineData("rolling_back", 0)]
    [InlineData("paused", 1)]
    [InlineData("rolled_back", 1)]
    [InlineData("superseded", 1)]
    [InlineData("some_future_state", 1)]
    public async Task RolloutStatus_State_ExitCode(string state, int exitCode)
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.OnJson("GET", ApiRoutes.Rollout("articles_app"), () => Samples.Rollout(state: state, reason: "monitor saw 2 failures"));

        var run = await CliRun.RunAsync(api, "rollout", "status", "articles_app");

        Assert.Equal(exitCode, run.ExitCode);
        Assert.Contains(state, run.Out);
        Assert.Contains("1 → 2", run.Out);
        Assert.Contains("1/3 updated, 0 failed", run.Out);
        Assert.Contains("parallelism 1, order stop-first, failure_action rollback, monitor 5s", run.Out);
        Assert.Contains("monitor saw 2 failures", run.Out);
    }

    [Fact]
    public async Task RolloutStatus_Json_PrintsRolloutInfo()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.OnJson("GET", ApiRoutes.Rollout("articles_app"), () => Samples.Rollout(state: "rolled_back"));

        var run = await CliRun.RunAsync(api, "rollout", "status", "articles_app", "--json");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(Samples.Rollout(state: "rolled_back"), JsonSerializer.Deserialize<RolloutInfo>(run.Out, ApiJson.Options));
    }

    [Fact]
    public async Task RolloutStatus_NoRollout_ExitsOneWithServerMessage()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.OnError("GET", ApiRoutes.Rollout("articles_app"), 404, "articles_app has no rollout");

        var run = await CliRun.RunAsync(api, "rollout", "status", "articles_app");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("error: articles_app has no rollout", run.Error);
    }

    [Fact]
    public async Task RolloutStatusWatch_UpdatingTwiceThenCompleted_PollsUntilDoneAndExitsZero()
    {
        await using var api = await FakeBerthApi.StartAsync();
        var polls = 0;
        api.OnJson("GET", ApiRoutes.Rollout("articles_app"), () =>
        {
            var n = Interlocked.Increment(ref polls);
            return n > 2 ? Samples.Rollout(state: "completed", updated: 3) : Samples.Rollout(state: "updating", updated: n);
        });

        var run = await CliRun.RunAsync(api, "rollout", "status", "articles_app", "--watch");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(3, polls);
        Assert.Contains("release 2: 1/3 updated (updating)", run.Out);
        Assert.Contains("release 2: 2/3 updated (updating)", run.Out);
        Assert.Contains("release 2: 3/3 updated (completed)", run.Out);
        Assert.Contains("articles_app: rollout to release 2 completed", run.Out);
    }

    [Fact]
    public async Task RolloutStatusWatch_EndsRolledBack_ExitsOneWithReason()
    {
        await using var api = await FakeBerthApi.StartAsync();
        var polls = 0;
        api.OnJson("GET", ApiRoutes.Rollout("articles_app"), () => Interlocked.Increment(ref polls) > 1
            ? Samples.Rollout(state: "rolled_back", updated: 0, failed: 1, reason: "replica exited with code 1")
            : Samples.Rollout(state: "rolling_back", updated: 1, failed: 1));

        var run = await CliRun.RunAsync(api, "rollout", "status", "articles_app", "--watch", "--json");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("rolled_back", JsonSerializer.Deserialize<RolloutInfo>(run.Out, ApiJson.Options)!.State);
        Assert.Contains("release 2: 1/3 updated, 1 failed (rolling_back)", run.Error);
        Assert.Contains("error: articles_app: rollout to release 2 rolled_back: replica exited with code 1", run.Error);
    }

    [Fact]
    public async Task RolloutStatusWatch_NeverSettles_TimesOutWithExitOne()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.OnJson("GET", ApiRoutes.Rollout("articles_app"), () => Samples.Rollout(state: "updating"));

        var run = await CliRun.RunAsync(api, "rollout", "status", "articles_app", "--watch", "--timeout", "0.2s");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("error: timed out after 0.2s waiting for articles_app: release 2: 1/3 updated (updating)", run.Error);
    }

    [Fact]
    public async Task RolloutStatusWatch_NewerRolloutAppears_ExitsOneSuperseded()
    {
        await using var api = await FakeBerthApi.StartAsync();
        var polls = 0;
        api.OnJson("GET", ApiRoutes.Rollout("articles_app"), () => Interlocked.Increment(ref polls) > 1
            ? Samples.Rollout(id: 8, from: 2, to: 3)
            : Samples.Rollout());

        var run = await CliRun.RunAsync(api, "rollout", "status", "articles_app", "--watch");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("error: articles_app: rollout to release 2 was superseded by rollout 8 (update to release 3)", run.Error);
    }

    [Fact]
    public async Task RolloutStatusWatch_OnTerminal_ShowsLiveLineAndExitsZero()
    {
        await using var api = await FakeBerthApi.StartAsync();
        var polls = 0;
        api.OnJson("GET", ApiRoutes.Rollout("articles_app"), () => Interlocked.Increment(ref polls) > 1
            ? Samples.Rollout(state: "completed", updated: 3)
            : Samples.Rollout());

        var run = await CliRun.RunAsync(new CliRunOptions { Api = api, Interactive = true }, "rollout", "status", "articles_app", "--watch");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("3/3 updated (completed)", run.Out);
    }

    [Theory]
    [InlineData("pause", "paused")]
    [InlineData("resume", "updating")]
    [InlineData("retry", "updating")]
    public async Task RolloutPauseResumeRetry_PostsToItsRouteAndPrintsNewState(string verb, string state)
    {
        await using var api = await FakeBerthApi.StartAsync();
        var route = verb switch
        {
            "pause" => ApiRoutes.RolloutPause("articles_app"),
            "resume" => ApiRoutes.RolloutResume("articles_app"),
            _ => ApiRoutes.RolloutRetry("articles_app"),
        };
        api.OnJson("POST", route, () => Samples.Rollout(state: state));

        var run = await CliRun.RunAsync(api, "rollout", verb, "articles_app");

        Assert.Equal(0, run.ExitCode);
        var request = Assert.Single(api.Requests);
        Assert.Equal(("POST", route), (request.Method, request.Path));
        Assert.Contains($"articles_app: rollout to release 2 {state}", run.Out);
    }

    [Fact]
    public async Task RolloutPause_NothingToPause_ExitsOne()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.OnError("POST", ApiRoutes.RolloutPause("articles_app"), 409, "articles_app has no active rollout to pause");

        var run = await CliRun.RunAsync(api, "rollout", "pause", "articles_app");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("error: articles_app has no active rollout to pause", run.Error);
    }

    [Fact]
    public async Task RolloutRetry_NothingAborted_ExitsOneWithTheServersReason()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.OnError("POST", ApiRoutes.RolloutRetry("articles_app"), 409, "nothing to retry: the latest rollout of articles_app (#3, canary to release 2) is completed");

        var run = await CliRun.RunAsync(api, "rollout", "retry", "articles_app");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("error: nothing to retry", run.Error);
    }
}
