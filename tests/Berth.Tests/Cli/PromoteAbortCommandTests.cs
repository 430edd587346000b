using System.Text.Json;
using Berth.Api;

namespace Berth.Tests.Cli;

public sealed class PromoteAbortCommandTests
{
    [Fact]
    public async Task Promote_Waiting_PostsRequestAndPrintsState()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.OnJson("POST", ApiRoutes.Promote("articles_app"), () => StrategySamples.Canary());

        var run = await CliRun.RunAsync(api, "promote", "articles_app");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Promotion of articles_app to release 2 requested", run.Out);
        Assert.Contains("articles_app: rollout to release 2 updating", run.Out);
        var request = Assert.Single(api.Requests);
        Assert.Equal(new PromoteRequest(false), JsonSerializer.Deserialize<PromoteRequest>(request.Body, ApiJson.Options));
    }

    [Fact]
    public async Task Promote_Full_SendsFullAndSaysStepsAreSkipped()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.OnJson("POST", ApiRoutes.Promote("articles_app"), () => StrategySamples.Canary());

        var run = await CliRun.RunAsync(api, "promote", "articles_app", "--full");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Full promotion", run.Out);
        Assert.True(JsonSerializer.Deserialize<PromoteRequest>(Assert.Single(api.Requests).Body, ApiJson.Options)!.Full);
    }

    [Fact]
    public async Task Promote_Conflict_ExitsOneWithServerMessage()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.OnError("POST", ApiRoutes.Promote("articles_app"), 409, "service articles_app has no blue/green or canary rollout waiting: its latest rollout #7 is completed");

        var run = await CliRun.RunAsync(api, "promote", "articles_app");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("error: service articles_app has no blue/green or canary rollout waiting: its latest rollout #7 is completed", run.Error);
    }

    [Fact]
    public async Task Abort_Active_PrintsAbortedState()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.OnJson("POST", ApiRoutes.Abort("articles_app"), () => StrategySamples.Canary(state: "aborted", reason: "aborted by request"));

        var run = await CliRun.RunAsync(api, "abort", "articles_app");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("articles_app: rollout to release 2 aborted: aborted by request", run.Out);
    }

    [Fact]
    public async Task Abort_Json_PrintsRolloutInfo()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.OnJson("POST", ApiRoutes.Abort("articles_app"), () => StrategySamples.Canary(state: "aborted"));

        var run = await CliRun.RunAsync(api, "abort", "articles_app", "--json");

        var printed = JsonSerializer.Deserialize<RolloutInfo>(run.Out, ApiJson.Options)!;
        Assert.Equal("aborted", printed.State);
        Assert.Equal("canary", printed.Strategy);
        Assert.Equal(20, printed.Progress!.Weight);
    }

    [Fact]
    public async Task Abort_Conflict_ExitsOne()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.OnError("POST", ApiRoutes.Abort("articles_app"), 409, "nothing to abort: rollout #7 of articles_app is completed");

        var run = await CliRun.RunAsync(api, "abort", "articles_app");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("nothing to abort: rollout #7 of articles_app is completed", run.Error);
    }

    [Fact]
    public async Task RolloutStatus_Canary_ShowsStepWeightTalliesAndKpiTable()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.OnJson("GET", ApiRoutes.Rollout("articles_app"), () => StrategySamples.Canary());

        var run = await CliRun.RunAsync(api, "rollout", "status", "articles_app");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("canary", run.Out);
        Assert.Contains("2/5: pause (until promote)", run.Out);
        Assert.Contains("stepping", run.Out);
        Assert.Contains("20% to release 2", run.Out);
        Assert.Contains("1/1 replicas ready", run.Out);
        Assert.Contains("4 measurements, 1 failed, 2 inconclusive", run.Out);
        Assert.Contains("1 (stable)", run.Out);
        Assert.Contains("2 (canary)", run.Out);
        Assert.Contains("0.25%", run.Out);
        Assert.Contains("250ms", run.Out);
        Assert.Contains("480ms", run.Out);
        Assert.DoesNotContain("parallelism", run.Out);
    }

    [Fact]
    public async Task RolloutStatus_CanaryJson_HasProgress()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.OnJson("GET", ApiRoutes.Rollout("articles_app"), () => StrategySamples.Canary());

        var run = await CliRun.RunAsync(api, "rollout", "status", "articles_app", "--json");

        using var json = JsonDocument.Parse(run.Out);
        var progress = json.RootElement.GetProperty("progress");
        Assert.Equal("canary", json.RootElement.GetProperty("strategy").GetString());
        Assert.Equal(2, progress.GetProperty("step").GetInt32());
        Assert.Equal(20, progress.GetProperty("weight").GetInt32());
        Assert.Equal(0.07, progress.GetProperty("candidate").GetProperty("errorRate").GetDouble());
    }

    [Theory]
    [InlineData("completed", 0)]
    [InlineData("aborted", 1)]
    [InlineData("paused", 1)]
    public async Task RolloutStatusWatch_CanaryMovesThenSettles_ExitCodeFollowsState(string end, int exitCode)
    {
        await using var api = await FakeBerthApi.StartAsync();
        var polls = 0;
        api.OnJson("GET", ApiRoutes.Rollout("articles_app"), () =>
            Interlocked.Increment(ref polls) switch
            {
                1 => StrategySamples.Canary(step: 1, weight: 20),
                2 => StrategySamples.Canary(step: 3, weight: 50),
                _ => StrategySamples.Canary(state: end, step: 3, weight: 50, phase: "done"),
            });

        var run = await CliRun.RunAsync(api, "rollout", "status", "articles_app", "--watch");

        Assert.Equal(exitCode, run.ExitCode);
        Assert.Contains("canary step 1/5: weight 50, phase stepping, weight 20%", run.Out);
        Assert.Contains("weight 50%", run.Out);
        Assert.Contains($"articles_app: rollout to release 2 {end}", exitCode == 0 ? run.Out : run.Error);
    }

    [Fact]
    public async Task RolloutStatusWatch_CanaryInteractive_RedrawsWholeView()
    {
        await using var api = await FakeBerthApi.StartAsync();
        var polls = 0;
        api.OnJson("GET", ApiRoutes.Rollout("articles_app"), () =>
            Interlocked.Increment(ref polls) > 1 ? StrategySamples.Canary(state: "completed", phase: "done") : StrategySamples.Canary());

        var run = await CliRun.RunAsync(new CliRunOptions { Api = api, Interactive = true }, "rollout", "status", "articles_app", "--watch");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("2 (canary)", run.Out);
        Assert.Contains("done", run.Out);
    }
}
