using System.Net;
using Berth.Api;
using Berth.Tests.Infrastructure;

namespace Berth.Tests.Engine;

/// <summary>`events --after/--since` and `logs --since` against the real server: the filters are applied server-side.</summary>
public sealed class SinceFilterTests
{
    [Fact]
    public async Task EventsAndLogs_Since_FilterOnTheServer()
    {
        using var dir = new TempDirectory();
        await using var server = await BerthServerProcess.StartAsync();
        var file = ComposeFiles.Shell(dir, "echo hello from $BERTH_REPLICA_ID; exit 0", 1, "condition: none\n        delay: 0s");
        var deploy = await server.CliAsync("deploy", "-d", "-c", file, "jobs");
        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        await server.WaitForReplicasAsync("jobs", r => r.Any(x => x.State == "exited"), TimeSpan.FromSeconds(30), "the replica exited");

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
}
