using Berth.Api;

namespace Berth.Tests.Cli;

/// <summary>`berth rm` waits for the stack's replicas to stop (unless --detach), against a fake server.</summary>
public sealed class RmWaitCommandTests
{
    [Fact]
    public async Task Rm_ReplicasStopOneByOne_PrintsProgressUntilStackGone()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.On("DELETE", ApiRoutes.Stack("articles"), _ => Task.CompletedTask);
        var polls = 0;

        // Three polls see 2, then 1, then 0 replicas of articles_app; then the stack is gone.
        api.On("GET", ApiRoutes.Services, context => Interlocked.Increment(ref polls) > 3
            ? FakeBerthApi.WriteJsonAsync(context, new ErrorResponse("no stack named articles"), 404)
            : FakeBerthApi.WriteJsonAsync(context, new[] { Samples.Service("articles_app", status: "removing") }));
        api.On("GET", ApiRoutes.Replicas, context => FakeBerthApi.WriteJsonAsync(
            context, Enumerable.Range(1, 3 - Volatile.Read(ref polls)).Select(slot => Samples.Replica("articles_app", slot, desiredState: "shutdown")).ToArray()));

        var run = await CliRun.RunAsync(api, "rm", "articles");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal(
            [
                "Removing service articles_app: 2 replicas left",
                "Removing service articles_app: 1 replica left",
                "Removing service articles_app: no replica left",
                "Service articles_app removed",
                "Stack articles removed: no replica left.",
            ],
            run.Out.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("DELETE", api.Requests[0].Method);
        Assert.Contains(api.Requests, r => r.Path == ApiRoutes.Replicas && r.Query == "?stack=articles");
    }

    [Fact]
    public async Task Rm_OnATerminal_DrawsTableThenConfirms()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.On("DELETE", ApiRoutes.Stack("articles"), _ => Task.CompletedTask);
        var polls = 0;
        api.On("GET", ApiRoutes.Services, context => Interlocked.Increment(ref polls) > 1
            ? FakeBerthApi.WriteJsonAsync(context, new ErrorResponse("no stack named articles"), 404)
            : FakeBerthApi.WriteJsonAsync(context, new[] { Samples.Service("articles_app", status: "removing") }));
        api.OnJson("GET", ApiRoutes.Replicas, () => new[] { Samples.Replica("articles_app", 1, desiredState: "shutdown") });

        var run = await CliRun.RunAsync(new CliRunOptions { Api = api, Interactive = true }, "rm", "articles");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("REPLICAS LEFT", run.Out);
        Assert.Contains("articles_app", run.Out);
        Assert.Contains("removed", run.Out);
        Assert.Contains("Stack articles removed: no replica left.", run.Out);
    }

    [Fact]
    public async Task Rm_Detach_SendsOnlyTheDeleteAndReturns()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.On("DELETE", ApiRoutes.Stack("articles"), _ => Task.CompletedTask);

        var run = await CliRun.RunAsync(api, "rm", "-d", "articles");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal("DELETE", Assert.Single(api.Requests).Method);
        Assert.Contains("Removing stack articles: the server stops its replicas in the background (follow with `berth ps articles`).", run.Out);
    }

    [Fact]
    public async Task Rm_ReplicaNeverStops_TimesOutWithOneLineNamingStackAndReplicas()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.On("DELETE", ApiRoutes.Stack("articles"), _ => Task.CompletedTask);
        api.OnJson("GET", ApiRoutes.Services, () => new[] { Samples.Service("articles_app", status: "removing") });
        api.OnJson("GET", ApiRoutes.Replicas, () => new[] { Samples.Replica("articles_app", 1, desiredState: "shutdown") });

        var run = await CliRun.RunAsync(api, "rm", "articles", "--timeout", "0.3s");

        Assert.Equal(1, run.ExitCode);
        var error = Assert.Single(run.Error.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(
            "error: timed out after 0.3s waiting for stack articles to be removed (1 replica still running: articles_app.1.abcd pid 4001); "
            + "the server goes on stopping them: check with `berth ps articles`.",
            error);
        Assert.DoesNotContain("Stack articles removed", run.Out);
    }

    [Fact]
    public async Task Rm_UnknownStack_KeepsTheServersErrorAndDoesNotWait()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.OnError("DELETE", ApiRoutes.Stack("nope"), 404, "no stack named nope");

        var run = await CliRun.RunAsync(api, "rm", "nope");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("error: no stack named nope", run.Error);
        Assert.Single(api.Requests);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("soon")]
    public async Task Rm_BadTimeout_ExitsTwoAndSendsNothing(string timeout)
    {
        await using var api = await FakeBerthApi.StartAsync();

        var run = await CliRun.RunAsync(api, "rm", "articles", "--timeout", timeout);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"--timeout: '{timeout}' is not a positive duration", run.Error + run.Out);
        Assert.Empty(api.Requests);
    }
}
