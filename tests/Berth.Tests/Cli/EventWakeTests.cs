using Berth.Api;
using Berth.Cli.Api;
using Berth.Cli.Commands.Deploy;
using Berth.Tests.Engine;
using Berth.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Berth.Tests.Cli;

/// <summary>
/// The CLI's watchers (deploy, rollout follow, rm) poll again as soon as the server records an event of what they watch,
/// not only at their poll interval: shown with an interval far longer than the test may last.
/// </summary>
public sealed class EventWakeTests
{
    private static readonly TimeSpan NoPollDuringTheTest = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task DeployWatcher_WithAnHourLongPollInterval_SeesTheServiceRunning_ByItsEvents()
    {
        using var dir = new TempDirectory();
        await using var server = await BerthServerProcess.StartAsync();
        var file = ComposeFiles.Articles(dir, replicas: 1);
        var deploy = await server.CliAsync("deploy", "-d", "-c", file, "news");
        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        using var client = new BerthApiClient(new Berth.Cli.Connection.ServerConnection { Host = server.Address, Token = server.AdminToken });
        var watcher = new RolloutWatcher(client, TimeProvider.System, NoPollDuringTheTest);
        var polls = new List<IReadOnlyList<ServiceProgress>>();

        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var outcome = await watcher.WaitAsync(
            "news", new Dictionary<string, int> { ["news_app"] = 1 }, [], TimeSpan.FromMinutes(30), polls.Add, limit.Token);

        Assert.Equal(RolloutResult.Healthy, outcome.Result);
        // The first poll came before the app answered its health check: a later one was woken by the server's events.
        Assert.True(polls.Count >= 2, $"{polls.Count} poll(s)");
        Assert.False(polls[0].All(p => p.Done));
    }

    [Fact]
    public async Task EventWake_WhenTheServerRefusesTheStream_StillReturnsAtTheInterval()
    {
        await using var api = await FakeBerthApi.StartAsync();   // no events route: the stream is refused (404)
        using var client = new BerthApiClient(api.Address);
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        await using var wake = EventWake.Start(client, time, service: null, _ => true);
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!api.Requests.Any(r => r.Path == ApiRoutes.Events))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10), limit.Token);
        }

        Assert.Equal("?follow=true&tail=0", api.Requests.Single(r => r.Path == ApiRoutes.Events).Query);
        var waiting = wake.WaitAsync(TimeSpan.FromSeconds(5), limit.Token);
        Assert.False(waiting.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(5));
        await waiting.WaitAsync(limit.Token);
    }
}
