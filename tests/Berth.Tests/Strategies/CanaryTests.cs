using Berth.Tests.Infrastructure;

namespace Berth.Tests.Strategies;

/// <summary>Canary rollouts through the real server, router and example app, with bounded loopback traffic from many users.</summary>
public sealed class CanaryTests
{
    private const string GoodCanary = """
        strategy: canary
        canary:
          steps:
            - weight: 20
            - pause: 3s
            - weight: 50
            - analysis: {interval: 2s, count: 2, min_requests: 5}
          analysis:
            interval: 2s
            min_requests: 5
            metrics:
              - name: error_rate
                max: 5%
        """;

    [Fact]
    public async Task GoodRelease_AllStepsRun_PromotedAndUsersNeverGoBack()
    {
        using var dir = new TempDirectory();
        await using var rig = await StrategyRig.DeployV1Async(new StrategyCompose(dir, LoopbackPort.Free(), GoodCanary));
        var traffic = new UserTraffic(rig.Compose.Port, workers: 4, users: 200, TimeSpan.FromSeconds(90), TimeSpan.FromMilliseconds(5));
        await rig.DeployDetachedAsync("2");

        var rollout = await rig.WaitRolloutAsync(r => !r.Active, TimeSpan.FromSeconds(75), "canary completed");
        await Task.Delay(500);
        var samples = await traffic.StopAsync();

        Assert.Equal("completed", rollout.State);
        Assert.Equal("canary", rollout.Strategy);
        Assert.Equal(2, (await rig.Server.ServiceAsync(StrategyRig.Service)).Release);
        var live = (await rig.Server.ReplicasAsync("web")).Where(r => r.DesiredState == "running").ToList();
        Assert.Equal(2, live.Count);
        Assert.All(live, r => Assert.Equal(2, r.Release));
        Assert.Equal([20, 50], (await rig.EventsAsync("rollout.weight")).Select(e => WeightOf(e.Message)).ToList());
        Assert.NotEmpty(await rig.EventsAsync("rollout.promoted"));

        var failed = samples.Where(s => !s.Ok).ToList();
        Assert.True(failed.Count == 0, $"{failed.Count} of {samples.Count} requests failed: {string.Join(", ", failed.Take(5).Select(f => f.Error))}");

        // Sticky and monotonic: once a user reached v2 it never saw v1 again.
        foreach (var user in samples.GroupBy(s => s.User))
        {
            var versions = user.OrderBy(s => s.StartedAt).Select(s => s.Version).ToList();
            var firstNew = versions.IndexOf("2");
            Assert.True(firstNew < 0 || versions.Skip(firstNew).All(v => v == "2"), $"{user.Key} went back to v1 after v2: {string.Join("", versions)}");
        }

        Assert.Contains(samples, s => s.Version == "2");
    }

    [Fact]
    public async Task FailingRelease_AbortedByErrorRateWithinTwoIntervals_FewUsersHurt()
    {
        using var dir = new TempDirectory();
        await using var rig = await StrategyRig.DeployV1Async(new StrategyCompose(dir, LoopbackPort.Free(), """
            strategy: canary
            canary:
              steps:
                - weight: 20
                - pause: 60s
                - weight: 100
              analysis:
                interval: 2s
                min_requests: 20
                metrics:
                  - name: error_rate
                    max: 5%
            """));
        var traffic = new UserTraffic(rig.Compose.Port, workers: 4, users: 200, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(5));
        await rig.DeployDetachedAsync("2", failRate: 0.2);

        var rollout = await rig.WaitRolloutAsync(r => !r.Active, TimeSpan.FromSeconds(45), "canary aborted");
        await Task.Delay(300);
        var samples = await traffic.StopAsync();

        Assert.Equal("aborted", rollout.State);
        Assert.Contains("error_rate", rollout.Reason, StringComparison.Ordinal);
        Assert.Equal(1, (await rig.Server.ServiceAsync(StrategyRig.Service)).Release);

        // Time from weight 20 to the abort: the first measurement (one interval) fails; allow a second interval and a pass.
        var weighted = (await rig.EventsAsync("rollout.weight")).Single().Time;
        var aborted = (await rig.EventsAsync("rollout.aborted")).Single().Time;
        Assert.True(aborted - weighted <= TimeSpan.FromSeconds(2 * 2 + 1.5), $"aborted {(aborted - weighted).TotalSeconds:0.0} s after weight 20");

        // Failed requests: at most weight × fail rate of the requests sent while the canary had traffic (+ margin).
        var exposed = samples.Count(s => s.Version == "2" || !s.Ok);
        var failed = samples.Count(s => !s.Ok);
        var sentDuringExposure = samples.Count(s => s.StartedAt >= samples.Where(x => x.Version == "2" || !x.Ok).Select(x => x.StartedAt).DefaultIfEmpty().Min()
            && s.StartedAt <= samples.Where(x => x.Version == "2" || !x.Ok).Select(x => x.StartedAt).DefaultIfEmpty().Max());
        Assert.True(exposed > 0, "the canary never got traffic");
        Assert.True(failed <= (sentDuringExposure * 0.2 * 0.2 * 1.6) + 10, $"{failed} failed of {sentDuringExposure} sent while exposed ({exposed} reached v2)");

        // The canary's replicas are gone; v1 serves everyone.
        await rig.Server.WaitForReplicasAsync("web", r => r.All(x => x.Release == 1), TimeSpan.FromSeconds(20), "canary replicas stopped");
        Assert.Equal("1", await rig.VersionAtAsync(rig.Compose.Port));
    }

    [Fact]
    public async Task SlowRelease_CaughtByLatencyP95()
    {
        using var dir = new TempDirectory();
        await using var rig = await StrategyRig.DeployV1Async(new StrategyCompose(dir, LoopbackPort.Free(), """
            strategy: canary
            canary:
              steps:
                - weight: 30
                - pause: 60s
              analysis:
                interval: 2s
                min_requests: 5
                metrics:
                  - name: latency_p95
                    max: 250ms
            """));
        var traffic = new UserTraffic(rig.Compose.Port, workers: 6, users: 200, TimeSpan.FromSeconds(60));
        await rig.DeployDetachedAsync("2", latencyMs: 300);

        var rollout = await rig.WaitRolloutAsync(r => !r.Active, TimeSpan.FromSeconds(45), "canary aborted");
        await traffic.StopAsync();

        Assert.Equal("aborted", rollout.State);
        Assert.Contains("latency_p95", rollout.Reason, StringComparison.Ordinal);
        Assert.Equal(1, (await rig.Server.ServiceAsync(StrategyRig.Service)).Release);
    }

    [Fact]
    public async Task TooLittleTraffic_Inconclusive_PausedNotPromoted()
    {
        using var dir = new TempDirectory();
        await using var rig = await StrategyRig.DeployV1Async(new StrategyCompose(dir, LoopbackPort.Free(), """
            strategy: canary
            canary:
              steps:
                - weight: 50
                - analysis: {interval: 1s, count: 3, min_requests: 50}
                - weight: 100
            """));
        await rig.DeployDetachedAsync("2");

        var rollout = await rig.WaitRolloutAsync(r => r.State == "paused", TimeSpan.FromSeconds(40), "canary paused");
        await Task.Delay(1500);
        rollout = (await rig.RolloutAsync())!;

        Assert.Equal("paused", rollout.State);
        Assert.Contains("inconclusive", rollout.Reason, StringComparison.Ordinal);
        Assert.Equal(1, (await rig.Server.ServiceAsync(StrategyRig.Service)).Release);
        Assert.Empty(await rig.EventsAsync("rollout.promoted"));
    }

    [Fact]
    public async Task StickyUsers_OneVersionEachDuringAWeightStep()
    {
        using var dir = new TempDirectory();
        await using var rig = await StrategyRig.DeployV1Async(new StrategyCompose(dir, LoopbackPort.Free(), """
            strategy: canary
            canary:
              steps:
                - weight: 30
                - pause: 6s
                - weight: 100
                - pause: 60s
            """));
        var started = DateTimeOffset.UtcNow;
        var traffic = new UserTraffic(rig.Compose.Port, workers: 4, users: 300, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(5));
        await rig.DeployDetachedAsync("2");
        var weights = await WaitForWeightsAsync(rig, 2, TimeSpan.FromSeconds(40));
        var samples = await traffic.StopAsync();

        // Requests sent while the weight was 30 (with 200 ms of margin on each side).
        var from = weights[0] - started + TimeSpan.FromMilliseconds(200);
        var to = weights[1] - started - TimeSpan.FromMilliseconds(200);
        var during = samples.Where(s => s.StartedAt > from && s.StartedAt < to && s.Ok).ToList();
        Assert.True(during.Count > 200, $"only {during.Count} requests during the weight-30 step");
        var mixed = during.GroupBy(s => s.User).Where(g => g.Select(s => s.Version).Distinct().Count() > 1).Select(g => g.Key).ToList();
        Assert.True(mixed.Count == 0, $"users who saw both versions during one weight step: {string.Join(", ", mixed.Take(10))}");
        var share = during.GroupBy(s => s.User).Count(g => g.First().Version == "2") / (double)during.Select(s => s.User).Distinct().Count();
        Assert.InRange(share, 0.15, 0.45);
    }

    [Fact]
    public async Task ServerKilledMidCanary_ResumesAtTheSameStepAndWeight()
    {
        using var dir = new TempDirectory();
        await using var rig = await StrategyRig.DeployV1Async(new StrategyCompose(dir, LoopbackPort.Free(), """
            strategy: canary
            canary:
              steps:
                - weight: 25
                - pause: 8s
                - weight: 60
                - pause: {}
            """, Replicas: 4));
        await rig.DeployDetachedAsync("2");
        await WaitForWeightsAsync(rig, 1, TimeSpan.FromSeconds(30));
        var before = (await rig.Server.ReplicasAsync("web")).Where(r => r.Release == 2 && r.DesiredState == "running").Select(r => r.Id).ToList();
        Assert.Single(before);

        await rig.Server.KillHardAsync();
        await rig.Server.RestartAsync();

        // Same canary replica adopted (not restarted), weight still 25 until the pause ends, then the next step.
        var after = (await rig.Server.ReplicasAsync("web")).Where(r => r.Release == 2 && r.DesiredState == "running").Select(r => r.Id).ToList();
        Assert.Equal(before, after);
        var rollout = await rig.WaitRolloutAsync(r => r.State == "paused", TimeSpan.FromSeconds(40), "paused at pause {}");
        Assert.Equal(1, (await rig.Server.ServiceAsync(StrategyRig.Service)).Release);
        Assert.Equal([25, 60], (await rig.EventsAsync("rollout.weight")).Select(e => WeightOf(e.Message)).ToList());
        Assert.Equal(3, (await rig.Server.ReplicasAsync("web")).Count(r => r.Release == 2 && r.DesiredState == "running"));
        Assert.Contains("promote", rollout.Reason, StringComparison.Ordinal);
    }

    private static async Task<List<DateTimeOffset>> WaitForWeightsAsync(StrategyRig rig, int count, TimeSpan timeout)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            var events = await rig.EventsAsync("rollout.weight");
            if (events.Count >= count)
            {
                return events.Select(e => e.Time).ToList();
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{count} weight steps not reached in {timeout}\n{rig.Server.Output}");
    }

    /// <summary>"web_app: step 1/4: weight 20 % to release 2 (...)" → 20.</summary>
    private static int WeightOf(string message)
    {
        var at = message.IndexOf("weight ", StringComparison.Ordinal) + "weight ".Length;
        return int.Parse(message[at..].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
    }
}
