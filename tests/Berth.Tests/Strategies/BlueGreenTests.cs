using System.Diagnostics;
using System.Net.Http.Json;
using Berth.Api;
using Berth.Tests.Infrastructure;

namespace Berth.Tests.Strategies;

/// <summary>Blue/green through the real server, router and example app, under bounded loopback traffic.</summary>
public sealed class BlueGreenTests
{
    [Fact]
    public async Task Switch_UnderLoad_NoFailures_NothingReachesBlueAfter_RollbackFlipsBackAtOnce()
    {
        using var dir = new TempDirectory();
        var preview = LoopbackPort.Free();
        await using var rig = await StrategyRig.DeployV1Async(new StrategyCompose(dir, LoopbackPort.Free(), $"""
            strategy: blue-green
            blue_green:
              preview_port: {preview}
              auto_promote: false
              scale_down_delay: 30s
            """));
        var traffic = new UserTraffic(rig.Compose.Port, workers: 4, users: 100, TimeSpan.FromSeconds(90), TimeSpan.FromMilliseconds(5));
        await rig.DeployDetachedAsync("2");

        // Green waits at full scale: preview door and override header reach it, the main door still serves blue.
        var waiting = await rig.WaitRolloutAsync(r => r.State == "paused", TimeSpan.FromSeconds(40), "green ready, waiting for promote");
        Assert.Contains("berth promote", waiting.Reason, StringComparison.Ordinal);
        Assert.Equal("2", await rig.VersionAtAsync(preview));
        Assert.Equal("2", await rig.VersionAtAsync(rig.Compose.Port, overrideRelease: "green"));
        Assert.Equal("1", await rig.VersionAtAsync(rig.Compose.Port));
        Assert.Equal(4, (await rig.Server.ReplicasAsync("web")).Count(r => r.DesiredState == "running"));

        // `berth promote` answers once the router serves the switch: every request started after it reaches green.
        var promote = await rig.Server.CliAsync("promote", StrategyRig.Service);
        var switchedAt = traffic.Now;
        Assert.True(promote.ExitCode == 0, promote.ToString());
        await rig.WaitRolloutAsync(r => r.State == "updating" && r.Progress?.Phase == "promoted", TimeSpan.FromSeconds(10), "switched");
        await Task.Delay(2000);

        // Blue is still up (scale_down_delay): rollback flips the main door back within a second.
        Assert.Equal(4, (await rig.Server.ReplicasAsync("web")).Count(r => r.DesiredState == "running"));
        var rollbackAt = traffic.Now;
        var clock = Stopwatch.StartNew();
        using var rollback = await rig.Server.Http.PostAsJsonAsync(ApiRoutes.Rollback(StrategyRig.Service), new RollbackRequest(null), ApiJson.Options);
        Assert.True(rollback.IsSuccessStatusCode, await rollback.Content.ReadAsStringAsync());
        while (await rig.VersionAtAsync(rig.Compose.Port) != "1" && clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(10);
        }

        var flipBack = clock.Elapsed;
        await Task.Delay(1000);
        var samples = await traffic.StopAsync();

        var failed = samples.Where(s => !s.Ok).ToList();
        Assert.True(failed.Count == 0, $"{failed.Count} of {samples.Count} requests failed: {string.Join(", ", failed.Take(5).Select(f => f.Error))}");
        // Between the switch and the rollback: requests started after the one and answered before the other (one in
        // flight when the rollback lands may be routed after it, to blue, rightly).
        var toBlue = samples.Count(s => s.StartedAt > switchedAt && s.CompletedAt < rollbackAt && s.Version == "1");
        Assert.True(toBlue == 0, $"{toBlue} requests reached blue after the switch");
        Assert.Contains(samples, s => s.StartedAt > switchedAt && s.Version == "2");
        Assert.True(flipBack < TimeSpan.FromSeconds(1), $"rollback took {flipBack.TotalMilliseconds:0} ms to reach blue");
        Assert.Equal(1, (await rig.Server.ServiceAsync(StrategyRig.Service)).Release);

        // The timeline names who promoted and who rolled back (the token the CLI and the API call used).
        var report = await rig.Server.Http.GetFromJsonAsync<RolloutReport>(ApiRoutes.RolloutReport(StrategyRig.Service) + "?release=2", ApiJson.Options);
        Assert.Equal("local-admin", report!.Timeline.Single(d => d.Kind == "promote.requested").Data["by"]);
        var rolledBack = report.Timeline.Single(d => d.Kind == "aborted");
        Assert.Equal("local-admin", rolledBack.Data["by"]);
        Assert.Contains("traffic back on release 1", rolledBack.Message, StringComparison.Ordinal);
        Assert.Equal("aborted", (await rig.WaitRolloutAsync(r => r.State == "aborted", TimeSpan.FromSeconds(5), "rolled back")).State);
    }

    [Fact]
    public async Task FailingSmokeGate_Aborted_BlueUntouched()
    {
        using var dir = new TempDirectory();
        await using var rig = await StrategyRig.DeployV1Async(new StrategyCompose(dir, LoopbackPort.Free(), """
            strategy: blue-green
            blue_green:
              auto_promote: true
              pre_promotion:
                smoke: "curl -fsS $$BERTH_PREVIEW_URL/nope && echo reached"
            """));
        await rig.DeployDetachedAsync("2");

        var rollout = await rig.WaitRolloutAsync(r => !r.Active, TimeSpan.FromSeconds(40), "aborted by the smoke gate");

        Assert.Equal("aborted", rollout.State);
        Assert.Contains("smoke", rollout.Reason, StringComparison.Ordinal);
        Assert.Equal(1, (await rig.Server.ServiceAsync(StrategyRig.Service)).Release);
        await rig.Server.WaitForReplicasAsync("web", r => r.All(x => x.Release == 1), TimeSpan.FromSeconds(20), "green stopped");
    }

    [Fact]
    public async Task PassingSmokeGateWithAutoPromote_Switches()
    {
        using var dir = new TempDirectory();
        await using var rig = await StrategyRig.DeployV1Async(new StrategyCompose(dir, LoopbackPort.Free(), """
            strategy: blue-green
            blue_green:
              auto_promote: true
              scale_down_delay: 0s
              pre_promotion:
                smoke: "curl -fsS $$BERTH_PREVIEW_URL/healthz"
            """));
        await rig.DeployDetachedAsync("2");

        var rollout = await rig.WaitRolloutAsync(r => !r.Active, TimeSpan.FromSeconds(40), "switched and blue scaled down");

        Assert.Equal("completed", rollout.State);
        Assert.Equal(2, (await rig.Server.ServiceAsync(StrategyRig.Service)).Release);
        Assert.Equal("2", await rig.VersionAtAsync(rig.Compose.Port));
        await rig.Server.WaitForReplicasAsync("web", r => r.All(x => x.Release == 2), TimeSpan.FromSeconds(20), "blue stopped");
    }
}
