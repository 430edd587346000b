using System.Diagnostics;
using Berth.Api;
using Berth.Tests.Infrastructure;

namespace Berth.Tests.Reliability;

/// <summary>A server asked to stop stops promptly, even with streams open that never end on their own.</summary>
public sealed class ServerShutdownTests
{
    [Fact]
    public async Task Sigterm_WithFollowedEventsLogsAndADashboardStreamOpen_EndsThemAndExitsPromptly()
    {
        await using var server = await BerthServerProcess.StartAsync();
        // The followed stream's backlog has an event (its router's start), so what it read shows it was a real stream.
        using var someEvent = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while ((await server.EventsAsync()).Count == 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), someEvent.Token);
        }

        using var follower = new HttpClient { BaseAddress = server.Address, Timeout = Timeout.InfiniteTimeSpan };
        follower.DefaultRequestHeaders.Authorization = server.Http.DefaultRequestHeaders.Authorization;
        using var events = await follower.GetAsync(ApiRoutes.Events + "?follow=true", HttpCompletionOption.ResponseHeadersRead);
        events.EnsureSuccessStatusCode();

        using var signIn = await server.Http.PostAsync("/ui/session", new StringContent($$"""{"token":"{{server.AdminToken}}"}""", System.Text.Encoding.UTF8, "application/json"));
        signIn.EnsureSuccessStatusCode();
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single().Split(';')[0];
        using var live = new HttpRequestMessage(HttpMethod.Get, "/ui/live");
        live.Headers.Add("Cookie", cookie);
        using var dashboard = new HttpClient { BaseAddress = server.Address, Timeout = Timeout.InfiniteTimeSpan };
        using var stream = await dashboard.SendAsync(live, HttpCompletionOption.ResponseHeadersRead);
        stream.EnsureSuccessStatusCode();

        var clock = Stopwatch.StartNew();
        await server.TerminateAsync();

        // The server's own limit for a graceful stop is 15 s: streams must not hold it that long.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"the server took {clock.Elapsed.TotalSeconds:F1} s to stop with streams open\n{server.Output}");

        // Both streams were ended by the server (not left hanging): they read to their end.
        using var reader = new StreamReader(await events.Content.ReadAsStreamAsync());
        Assert.Contains("\"seq\":", await reader.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(5)), StringComparison.Ordinal);
        using var liveReader = new StreamReader(await stream.Content.ReadAsStreamAsync());
        Assert.StartsWith("retry:", await liveReader.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(5)), StringComparison.Ordinal);
    }
}
