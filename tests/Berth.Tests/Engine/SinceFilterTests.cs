using System.Net;
using Berth.Api;
using Berth.Tests.Infrastructure;

namespace Berth.Tests.Engine;

/// <summary>`events --after/--since/--tail` and `logs --since` against the real server: the filters are applied server-side.</summary>
public sealed class SinceFilterTests
{
    [Fact]
    public async Task EventsAndLogs_Since_FilterOnTheServer()
    {
        using var dir = new TempDirectory();
        await using var server = await BerthServerProcess.StartAsync();
        await DeployAJobThatExitedAsync(server, dir, "echo hello from $BERTH_REPLICA_ID; exit 0");

        // Logs: the replica ended before a later time, so its output is left out; an hour ago it was still writing.
        var recent = await server.CliAsync("logs", "jobs_job", "--since", "1h");
        var future = await server.CliAsync("logs", "jobs_job", "--since", "2099-01-01");
        Assert.True(recent.ExitCode == 0, recent.ToString());
        Assert.Contains("hello from jobs_job.1.", recent.Stdout);
        Assert.True(future.ExitCode == 0, future.ToString());
        Assert.Empty(future.Stdout);

        // Events: by time, and by sequence number.
        var events = await server.EventsAsync();
        var lastHour = await server.CliAsync("events", "--since", "1h", "--service", "jobs_job");
        var none = await server.CliAsync("events", "--since", "2099-01-01T00:00:00Z");
        var afterLast = await server.CliAsync("events", "--after", events[^1].Seq.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains("release.created jobs_job", lastHour.Stdout);
        Assert.Empty(none.Stdout);
        Assert.True(afterLast.ExitCode == 0, afterLast.ToString());
        Assert.Empty(afterLast.Stdout);

        // The API's old sequence filter is now `after`: a number as `since` says so.
        using var old = await server.Http.GetAsync(new Uri(ApiRoutes.Events + "?since=5", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, old.StatusCode);
        Assert.Contains("?after=5", await old.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Events_Tail_GivesTheNewestOnly_AndWithFollowOnlyWhatHappensFromNowOn()
    {
        using var dir = new TempDirectory();
        await using var server = await BerthServerProcess.StartAsync();
        var file = await DeployAJobThatExitedAsync(server, dir, "echo hi; exit 0");
        var events = await server.EventsAsync();
        Assert.True(events.Count >= 3, string.Join("\n", events.Select(e => e.Kind)));

        var newestTwo = await server.CliAsync("events", "--tail", "2", "--json");
        var none = await server.CliAsync("events", "--tail", "0");
        Assert.True(newestTwo.ExitCode == 0, newestTwo.ToString());
        var tail = Seqs(newestTwo.Stdout).ToList();
        Assert.Equal(2, tail.Count);
        Assert.True(tail[1] >= events[^1].Seq);
        Assert.Equal((await server.EventsAsync()).Where(e => e.Seq <= tail[1]).TakeLast(2).Select(e => e.Seq), tail);
        Assert.Empty(none.Stdout);

        // Followed from now on: what is streamed was recorded after the stream opened, none of the backlog.
        var before = (await server.EventsAsync())[^1].Seq;
        using var follow = await server.Http.GetAsync(new Uri(ApiRoutes.Events + "?follow=true&tail=0", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
        follow.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await follow.Content.ReadAsStreamAsync());
        var again = await server.CliAsync("deploy", "-d", "-c", file, "jobs2");
        Assert.True(again.ExitCode == 0, again.ToString());
        EventInfo streamed;
        do
        {
            var line = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
            streamed = System.Text.Json.JsonSerializer.Deserialize<EventInfo>(line!, ApiJson.Options)!;
            Assert.True(streamed.Seq > before, line);
        }
        while (streamed.Stack != "jobs2");

        using var negative = await server.Http.GetAsync(new Uri(ApiRoutes.Events + "?tail=-1", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, negative.StatusCode);
        Assert.Contains("0 or more", await negative.Content.ReadAsStringAsync());
    }

    /// <summary>Stack `jobs`: one replica of <paramref name="command"/>, not restarted, once it exited; returns its compose file.</summary>
    private static async Task<string> DeployAJobThatExitedAsync(BerthServerProcess server, TempDirectory dir, string command)
    {
        var file = ComposeFiles.Shell(dir, command, 1, "condition: none\n        delay: 0s");
        var deploy = await server.CliAsync("deploy", "-d", "-c", file, "jobs");
        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        await server.WaitForReplicasAsync("jobs", r => r.Any(x => x.State == "exited"), TimeSpan.FromSeconds(30), "the replica exited");
        return file;
    }

    private static IEnumerable<long> Seqs(string ndjson) =>
        ndjson.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => System.Text.Json.JsonSerializer.Deserialize<EventInfo>(line, ApiJson.Options)!.Seq);
}
