using System.Text.Json;
using Berth.Api;
using Microsoft.Extensions.Time.Testing;

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

        var run = await CliRun.RunAsync(api, "events", "--json", "--after", "0", "--service", "articles_app");

        Assert.Equal(0, run.ExitCode);
        var lines = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Events.Select(e => JsonSerializer.Serialize(e, ApiJson.Options)), lines);
        Assert.Equal("?after=0&service=articles_app", Assert.Single(api.Requests).Query);
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

    [Theory]
    [InlineData("10m", "2026-12-04T09:50:00Z")]
    [InlineData("1h30m", "2026-12-04T08:30:00Z")]
    [InlineData("2d", "2026-12-02T10:00:00Z")]
    [InlineData("2026-12-01T08:00:00Z", "2026-12-01T08:00:00Z")]
    [InlineData("2026-12-01T10:00:00+02:00", "2026-12-01T08:00:00Z")]
    [InlineData("2026-12-01", "2026-12-01T00:00:00Z")]
    [InlineData("2026-12-01T08:00", "2026-12-01T08:00:00Z")]
    public async Task Events_SinceDurationOrTime_SendsThatInstantInUtc(string since, string expected)
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.OnNdjson("GET", ApiRoutes.Events, Events);
        var now = new FakeTimeProvider(new DateTimeOffset(2026, 12, 4, 10, 0, 0, TimeSpan.Zero));

        var run = await CliRun.RunAsync(new CliRunOptions { Api = api, Time = now }, "events", "--since", since);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("?since=" + Uri.EscapeDataString(expected), Assert.Single(api.Requests).Query);
    }

    [Fact]
    public async Task Events_TailZeroFollow_AsksOnlyForWhatHappensFromNowOn()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.OnNdjson("GET", ApiRoutes.Events, Events);

        var run = await CliRun.RunAsync(api, "events", "-f", "--tail", "0");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("?follow=true&tail=0", Assert.Single(api.Requests).Query);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("10 minutes")]
    [InlineData("2026-13-01")]
    [InlineData("-5m")]
    public async Task Events_SinceNeitherDurationNorTime_ExitsTwoNamingOptionValueAndForms(string since)
    {
        await using var api = await FakeBerthApi.StartAsync();

        var run = await CliRun.RunAsync(api, "events", $"--since={since}");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"--since: '{since}' is not a duration (90s, 1m30s, 500ms, 1.5h or 2d: that long ago) or a time (2026-12-04T10:00:00Z, 2026-12-04).", run.Error);
        Assert.Empty(api.Requests);
    }

    [Fact]
    public async Task Events_SinceBareNumber_ExitsTwoPointingToAfter()
    {
        await using var api = await FakeBerthApi.StartAsync();

        var run = await CliRun.RunAsync(api, "events", "--since", "42");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("A number needs a unit: 42s for 42 seconds ago; --after 42 for the events after sequence number 42.", run.Error);
        Assert.Empty(api.Requests);
    }

    [Theory]
    [InlineData("--after", "abc", "--after: 'abc' is not an event sequence number (a whole number, 0 or more).")]
    [InlineData("--after", "1.5", "--after: '1.5' is not an event sequence number (a whole number, 0 or more).")]
    [InlineData("--tail", "-1", "--tail: '-1' is not a number of events (a whole number, 0 or more).")]
    [InlineData("--service", "a b", "--service: invalid service name \"a b\": use letters, digits, '_', '.', '-' (starting with a letter or digit).")]
    public async Task Events_BadValue_ExitsTwoWithHumanMessage(string option, string value, string message)
    {
        var run = await CliRun.RunAsync(new CliRunOptions(), "events", option, value);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("error: " + message, run.Error);
        Assert.DoesNotContain("Failed to convert", run.Error);
    }

    [Fact]
    public async Task Logs_Since_SendsTheInstantAndTail()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.OnNdjson("GET", ApiRoutes.ServiceLogs("articles_app"), Array.Empty<LogEntry>());
        var now = new FakeTimeProvider(new DateTimeOffset(2026, 12, 4, 10, 0, 0, TimeSpan.Zero));

        var run = await CliRun.RunAsync(new CliRunOptions { Api = api, Time = now }, "logs", "articles_app", "--since", "30m", "-n", "5");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("?tail=5&since=2026-12-04T09%3A30%3A00Z", Assert.Single(api.Requests).Query);
    }

    [Fact]
    public async Task Logs_Env_ReadsTheServiceOfThatEnvironment()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.OnNdjson("GET", ApiRoutes.ServiceLogs("articles-prod_app"), new[] { new LogEntry("articles-prod_app.1.abcd", "GET / 200") });

        var run = await CliRun.RunAsync(api, "logs", "articles_app", "--env", "prod");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("articles-prod_app.1.abcd | GET / 200", run.Out.Trim());
        Assert.EndsWith(ApiRoutes.ServiceLogs("articles-prod_app"), Assert.Single(api.Requests).Path);
    }

    [Theory]
    [InlineData("--tail", "x", "--tail: 'x' is not a number of lines (a whole number, 0 or more).")]
    [InlineData("--since", "yesterday", "--since: 'yesterday' is not a duration")]
    [InlineData("--env", "Prod", "--env: \"Prod\" is not an environment name: lower-case letters")]
    public async Task Logs_BadValue_ExitsTwoWithHumanMessage(string option, string value, string message)
    {
        var run = await CliRun.RunAsync(new CliRunOptions(), "logs", "articles_app", option, value);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("error: " + message, run.Error);
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
