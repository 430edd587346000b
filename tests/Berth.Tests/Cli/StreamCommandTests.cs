using System.Text.Json;
using Berth.Api;

namespace Berth.Tests.Cli;

public sealed class StreamCommandTests
{
    private static readonly EventInfo[] Events =
    [
        new() { Seq = 1, Time = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), Kind = "replica.started", Stack = "articles", Service = "articles_app", Replica = "articles_app.1.abcd", Message = "started pid 42" },
        new() { Seq = 2, Time = new DateTimeOffset(2026, 1, 2, 3, 4, 6, TimeSpan.Zero), Kind = "stack.deployed", Stack = "articles", Message = "2 services" },
    ];

    [Fact]
    public async Task Events_Json_PrintsOneEventInfoPerLine()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.OnNdjson("GET", ApiRoutes.Events, Events);

        var run = await CliRun.RunAsync(api, "events", "--json", "--since", "0", "--service", "articles_app");

        Assert.Equal(0, run.ExitCode);
        var lines = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Events.Select(e => JsonSerializer.Serialize(e, ApiJson.Options)), lines);
        Assert.Equal("?since=0&service=articles_app", Assert.Single(api.Requests).Query);
    }

    [Fact]
    public async Task Events_Plain_PrintsTimeKindServiceReplicaMessage()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.OnNdjson("GET", ApiRoutes.Events, Events);

        var run = await CliRun.RunAsync(api, "events");

        Assert.Contains("2026-01-02T03:04:05Z replica.started articles_app articles_app.1.abcd started pid 42", run.Out);
        Assert.Contains("2026-01-02T03:04:06Z stack.deployed - - 2 services", run.Out);
    }

    [Fact]
    public async Task Logs_Backlog_PrefixesEachLineWithReplicaId()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.OnNdjson("GET", ApiRoutes.ServiceLogs("articles_app"), new[]
        {
            new LogEntry("articles_app.1.abcd", "listening on :41001"),
            new LogEntry("articles_app.2.efgh", "GET / 200"),
        });

        var run = await CliRun.RunAsync(api, "logs", "articles_app", "--tail", "10");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["articles_app.1.abcd | listening on :41001", "articles_app.2.efgh | GET / 200"], run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("?tail=10", Assert.Single(api.Requests).Query);
    }

    [Fact]
    public async Task Logs_UnknownService_ExitsOne()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.OnError("GET", ApiRoutes.ServiceLogs("nope"), 404, "no service named nope");

        var run = await CliRun.RunAsync(api, "logs", "nope");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("error: no service named nope", run.Error);
    }
}
