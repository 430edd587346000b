using System.Text.Json;
using Berth.Api;
using Microsoft.AspNetCore.Http;
using Spectre.Console.Testing;

namespace Berth.Tests.Cli;

public sealed class OtherCommandTests
{
    [Fact]
    public async Task Rm_KnownStack_SendsDeleteAndConfirms()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.On("DELETE", ApiRoutes.Stack("articles"), _ => Task.CompletedTask);

        var run = await CliRun.RunAsync(api, "rm", "articles");

        // The fake has no stack to list afterwards (404): rm takes that as removed.
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("DELETE", api.Requests[0].Method);
        Assert.Contains("Stack articles removed: no replica left.", run.Out);
    }

    [Fact]
    public async Task StackRm_UnknownStack_ExitsOne()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.OnError("DELETE", ApiRoutes.Stack("nope"), 404, "no stack named nope");

        var run = await CliRun.RunAsync(api, "stack", "rm", "nope");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("error: no stack named nope", run.Error);
    }

    [Fact]
    public async Task Run_ServerSaysBadRequest_ExitsTwo()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.OnError("POST", ApiRoutes.ReplicaKill("x"), 400, "bad replica id", "ids look like service.slot.suffix");

        var run = await CliRun.RunAsync(api, "replica", "kill", "x");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("error: bad replica id", run.Error);
        Assert.Contains("  ids look like service.slot.suffix", run.Error);
    }

    [Fact]
    public async Task ReplicaKill_KnownReplica_PostsKill()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.On("POST", ApiRoutes.ReplicaKill("articles_app.1.abcd"), _ => Task.CompletedTask);

        var run = await CliRun.RunAsync(api, "replica", "kill", "articles_app.1.abcd");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Killed replica articles_app.1.abcd", run.Out);
    }

    [Fact]
    public async Task ReplicaLs_Filters_PassesStackAndService()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.OnJson("GET", ApiRoutes.Replicas, () => new[] { Samples.Replica("articles_app", 1) });

        var run = await CliRun.RunAsync(api, "replica", "ls", "--stack", "articles", "--service", "articles_app");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("?stack=articles&service=articles_app", Assert.Single(api.Requests).Query);
        Assert.Contains("articles_app.1.abcd", run.Out);
    }

    [Fact]
    public async Task NodeLs_Json_PrintsNodeInfoArray()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.OnJson("GET", ApiRoutes.Nodes, () => new[] { new NodeInfo("local", "box", "manager", "active", "ready", 3) });

        var run = await CliRun.RunAsync(api, "node", "ls", "--json");

        Assert.Equal(0, run.ExitCode);
        var node = Assert.Single(JsonSerializer.Deserialize<NodeInfo[]>(run.Out, ApiJson.Options)!);
        Assert.Equal("box", node.Hostname);
    }

    [Fact]
    public async Task StackLs_Table_ShowsStacks()
    {
        await using var api = await FakeBerthApi.StartAsync();
        var when = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        api.OnJson("GET", ApiRoutes.Stacks, () => new[] { new StackInfo("articles", 3, when, when) });

        var run = await CliRun.RunAsync(api, "stack", "ls");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("articles", run.Out);
        Assert.Contains("2026-01-02T03:04:05Z", run.Out);
    }

    [Fact]
    public async Task Version_ServerUp_PrintsClientAndServer()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.OnJson("GET", ApiRoutes.Info, () => new ServerInfo("0.1.0", "process", ".berth"));

        var run = await CliRun.RunAsync(api, "version");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Client: ", run.Out);
        Assert.Contains("Server: 0.1.0 (runtime process", run.Out);
    }

    [Fact]
    public async Task Version_Json_PrintsClientAndServerObjects()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.OnJson("GET", ApiRoutes.Info, () => new ServerInfo("0.1.0", "process", ".berth"));

        var run = await CliRun.RunAsync(api, "version", "--json");

        Assert.Equal(0, run.ExitCode);
        using var document = JsonDocument.Parse(run.Out);
        Assert.False(string.IsNullOrEmpty(document.RootElement.GetProperty("client").GetProperty("version").GetString()));
        var server = document.RootElement.GetProperty("server");
        Assert.Equal("0.1.0", server.GetProperty("version").GetString());
        Assert.Equal("process", server.GetProperty("runtime").GetString());
        Assert.Equal(".berth", server.GetProperty("dataDirectory").GetString());
        Assert.StartsWith("http://127.0.0.1:", server.GetProperty("host").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version_JsonServerDown_PrintsClientWithNullServerAndExitsThree()
    {
        var run = await CliRun.RunAsync(
            new CliRunOptions { Variables = new Dictionary<string, string> { ["BERTH_HOST"] = "http://127.0.0.1:1" } }, "version", "--json");

        Assert.Equal(3, run.ExitCode);
        using var document = JsonDocument.Parse(run.Out);
        Assert.NotNull(document.RootElement.GetProperty("client").GetProperty("version").GetString());
        Assert.Equal(JsonValueKind.Null, document.RootElement.GetProperty("server").ValueKind);
        Assert.Contains("Cannot reach the Berth server", run.Error);
    }

    [Fact]
    public async Task Run_UnexpectedFailureWithDebug_PrintsStackTrace()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.On("GET", ApiRoutes.Info, context => context.Response.WriteAsync("not json"));

        var quiet = await CliRun.RunAsync(new CliRunOptions { Api = api }, "version");
        var debug = await CliRun.RunAsync(new CliRunOptions { Api = api, Variables = new Dictionary<string, string> { ["BERTH_DEBUG"] = "1" } }, "version");

        Assert.Equal(1, quiet.ExitCode);
        Assert.Single(quiet.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(1, debug.ExitCode);
        Assert.Contains("   at ", debug.Error);
    }

    [Fact]
    public async Task Events_Follow_PrintsEventsAsTheyComeUntilCancelled()
    {
        await using var api = await FakeBerthApi.StartAsync();
        var sent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        api.On("GET", ApiRoutes.Events, async context =>
        {
            var e = new EventInfo { Seq = 7, Time = DateTimeOffset.UnixEpoch, Kind = "replica.healthy", Service = "articles_app", Message = "healthy" };
            await context.Response.WriteAsync(JsonSerializer.Serialize(e, ApiJson.Options) + "\n");
            await context.Response.Body.FlushAsync();
            sent.SetResult();
            await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        });
        using var stop = new CancellationTokenSource();
        TestConsole? console = null;

        var running = CliRun.RunAsync(new CliRunOptions { Api = api, CancellationToken = stop.Token, OnStarted = c => console = c }, "events", "--follow");
        await sent.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!console!.Output.Contains("replica.healthy", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        var seenBeforeEnd = console.Output.Contains("replica.healthy", StringComparison.Ordinal);
        stop.Cancel();
        var run = await running;

        Assert.True(seenBeforeEnd);
        Assert.Equal(130, run.ExitCode);
        Assert.Equal("?follow=true", api.Requests.Single().Query);
    }
}
