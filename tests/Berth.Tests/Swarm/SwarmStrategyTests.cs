using System.Diagnostics;
using Berth.Tests.Infrastructure;
using Berth.Tests.Strategies;
using Xunit.Abstractions;

namespace Berth.Tests.Swarm;

/// <summary>
/// The seed's other two strategies on the real Swarm, through `berth server --runtime swarm`: a bad canary aborted by
/// its error rate while the stable release keeps serving, and blue/green switched by `berth promote` and back by
/// `berth rollback`, under bounded loopback traffic from many users.
/// </summary>
[Collection(SwarmCollection.Name)]
public sealed class SwarmStrategyTests(ITestOutputHelper output)
{
    [DockerFact]
    public async Task Canary_BadV3WithFailRate20Percent_AbortedByErrorRate_StableKeepsServing()
    {
        await using var rig = await SwarmLabRig.StartAsync(output, "can", """
            strategy: canary
            canary:
              steps:
                - weight: 20
                - pause: 60s
                - weight: 100
              analysis:
                # A loaded CI node can send the canary fewer than min_requests in one interval: such a measurement is
                # inconclusive, and this test is about the failing one, so a few inconclusive ones must not pause it.
                interval: 2s
                min_requests: 20
                inconclusive_limit: 30
                metrics:
                  - name: error_rate
                    max: 5%
            """);
        rig.Step("v1, 2 replicas");
        var v1 = await rig.DeployAsync("1");
        Assert.True(v1.ExitCode == 0, v1.ToString());
        await rig.WaitHealthyAsync(2);

        rig.Step("canary v3 (ARTICLES_FAIL_RATE=0.2) under traffic");
        var traffic = new UserTraffic(rig.Port, workers: 4, users: 200, TimeSpan.FromSeconds(90), TimeSpan.FromMilliseconds(5));
        var v3 = await rig.DeployAsync("3", failRate: 0.2, detach: true);
        Assert.True(v3.ExitCode == 0, v3.ToString());
        var rollout = await rig.WaitRolloutAsync(2, r => !r.Active, TimeSpan.FromSeconds(75), "canary aborted");
        rig.Step($"rollout {rollout.State}: {rollout.Reason}");
        await rig.Server.WaitForReplicasAsync(rig.Stack, r => r.All(x => x.Release == 1), TimeSpan.FromSeconds(30), "the canary's replicas stopped");
        await Task.Delay(500);
        var samples = await traffic.StopAsync();

        Assert.Equal("aborted", rollout.State);
        Assert.Contains("error_rate", rollout.Reason, StringComparison.Ordinal);
        Assert.Equal(1, (await rig.Server.ServiceAsync(rig.Service)).Release);
        Assert.Single(await rig.EventsAsync("rollout.weight"));

        // The canary got traffic and hurt a few of its users; the stable release never failed a request.
        Assert.Contains(samples, s => s.Version == "3");
        var stableFailures = samples.Where(s => !s.Ok && s.Version != "3").ToList();
        Assert.True(stableFailures.Count == 0, $"{stableFailures.Count} requests failed outside the canary: {string.Join(", ", stableFailures.Take(5).Select(f => f.Error))}");
        var failed = samples.Count(s => !s.Ok);
        Assert.True(failed < samples.Count * 0.2 * 0.2 * 1.6 + 10, $"{failed} of {samples.Count} requests failed");

        // Afterwards, v1 serves everyone; the canary's Swarm services are gone.
        var after = samples.Where(s => s.StartedAt > traffic.Now - TimeSpan.FromMilliseconds(400)).ToList();
        Assert.All(after, s => Assert.Equal("1", s.Version));
        Assert.Equal("1", (await rig.GetAsync("/api/articles")).Version);
        Assert.Equal(2, (await new SwarmStackCleanup(rig.Stack).ServicesAsync()).Count);
        rig.Step($"done: {samples.Count} requests, {failed} failed (all on the canary)");
    }

    [DockerFact]
    public async Task BlueGreen_PromoteSwitchesEveryone_RollbackFlipsBack_NoFailedRequest()
    {
        var preview = LoopbackPort.Free();
        await using var rig = await SwarmLabRig.StartAsync(output, "bg", $"""
            strategy: blue-green
            blue_green:
              preview_port: {preview}
              auto_promote: false
              scale_down_delay: 60s
            """);
        rig.Step("blue: v1, 2 replicas");
        var v1 = await rig.DeployAsync("1");
        Assert.True(v1.ExitCode == 0, v1.ToString());
        await rig.WaitHealthyAsync(2);

        rig.Step("green: v2 beside it, under traffic");
        var traffic = new UserTraffic(rig.Port, workers: 4, users: 100, TimeSpan.FromSeconds(90), TimeSpan.FromMilliseconds(5));
        var v2 = await rig.DeployAsync("2", detach: true);
        Assert.True(v2.ExitCode == 0, v2.ToString());
        var waiting = await rig.WaitRolloutAsync(2, r => r.State == "paused", TimeSpan.FromSeconds(60), "green ready, waiting for promote");
        Assert.Contains("berth promote", waiting.Reason, StringComparison.Ordinal);
        Assert.Equal(4, (await rig.Server.ReplicasAsync(rig.Stack)).Count(r => r.DesiredState == "running" && r.Health == "healthy"));
        Assert.Equal(4, (await new SwarmStackCleanup(rig.Stack).ServicesAsync()).Count);
        Assert.Equal("2", await VersionAtAsync(preview));
        Assert.Equal("2", (await rig.GetAsync("/api/articles", release: "green")).Version);
        Assert.Equal("1", (await rig.GetAsync("/api/articles")).Version);

        rig.Step("berth promote: the switch");
        var promote = await rig.Server.CliAsync("promote", rig.Service);
        var switchedAt = traffic.Now;
        Assert.True(promote.ExitCode == 0, promote.ToString());
        await rig.WaitRolloutAsync(2, r => r.Progress?.Phase == "promoted" || !r.Active, TimeSpan.FromSeconds(15), "switched");
        await rig.WaitFrontDoorAsync(a => a.Version == "2", TimeSpan.FromSeconds(5), "green on the main door", "/api/articles");
        await Task.Delay(2000);

        rig.Step("berth rollback: blue again, at once");
        Assert.Equal(4, (await rig.Server.ReplicasAsync(rig.Stack)).Count(r => r.DesiredState == "running"));
        var rollbackAt = traffic.Now;
        var clock = Stopwatch.StartNew();
        var rollback = rig.Server.CliAsync("rollback", "--detach", rig.Service);
        await rig.WaitFrontDoorAsync(a => a.Version == "1", TimeSpan.FromSeconds(10), "blue back on the main door", "/api/articles");
        var flipBack = clock.Elapsed;
        Assert.True((await rollback).ExitCode == 0, (await rollback).ToString());
        await Task.Delay(1000);
        var samples = await traffic.StopAsync();

        var failed = samples.Where(s => !s.Ok).ToList();
        Assert.True(failed.Count == 0, $"{failed.Count} of {samples.Count} requests failed: {string.Join(", ", failed.Take(5).Select(f => f.Error))}");
        var toBlue = samples.Count(s => s.StartedAt > switchedAt && s.CompletedAt < rollbackAt && s.Version == "1");
        Assert.True(toBlue == 0, $"{toBlue} requests reached blue after the switch");
        Assert.Contains(samples, s => s.StartedAt > switchedAt && s.Version == "2");
        Assert.True(flipBack < TimeSpan.FromSeconds(3), $"rollback (CLI start included) took {flipBack.TotalMilliseconds:0} ms to reach blue");
        Assert.Equal(1, (await rig.Server.ServiceAsync(rig.Service)).Release);
        await rig.Server.WaitForReplicasAsync(rig.Stack, r => r.Count(x => x.DesiredState == "running") == 2 && r.All(x => x.Release == 1), TimeSpan.FromSeconds(30), "green stopped");
        rig.Step($"done: {samples.Count} requests, 0 failed; flip back {flipBack.TotalMilliseconds:0} ms (CLI start included)");
    }

    private static async Task<string?> VersionAtAsync(int port)
    {
        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/api/articles"));
        return response.Headers.TryGetValues("X-Articles-Version", out var values) ? values.Single() : null;
    }
}
