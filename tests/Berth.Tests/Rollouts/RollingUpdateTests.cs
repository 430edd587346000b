using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Berth.Api;
using Berth.Tests.Infrastructure;

namespace Berth.Tests.Rollouts;

/// <summary>Rolling updates with Swarm's update_config semantics, through the real server, router and example app.</summary>
public sealed class RollingUpdateTests
{
    private static async Task<RolloutInfo> RolloutAsync(BerthServerProcess server, string service) =>
        (await server.Http.GetFromJsonAsync<RolloutInfo>(ApiRoutes.Rollout(service), ApiJson.Options))!;

    private static async Task<RolloutInfo> WaitRolloutAsync(BerthServerProcess server, string service, Func<RolloutInfo, bool> done, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        RolloutInfo? last = null;
        while (clock.Elapsed < timeout)
        {
            var response = await server.Http.GetAsync(ApiRoutes.Rollout(service));
            if (response.IsSuccessStatusCode)
            {
                last = (await response.Content.ReadFromJsonAsync<RolloutInfo>(ApiJson.Options))!;
                if (done(last))
                {
                    return last;
                }
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"rollout of {service} not done in {timeout}: {last}\n{server.Output}");
    }

    private static async Task<(BerthServerProcess Server, RollingCompose Compose)> DeployV1Async(TempDirectory dir, RollingCompose compose)
    {
        var server = await BerthServerProcess.StartAsync();
        var deploy = await server.CliAsync("deploy", "-c", compose.Write("1"), "web");
        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        await server.WaitForReplicasAsync("web", r => r.Count(x => x.Health == "healthy") == compose.Replicas, TimeSpan.FromSeconds(40), "v1 healthy");
        return (server, compose);
    }

    [Theory]
    [InlineData("start-first", 1)]
    [InlineData("stop-first", 2)]
    public async Task Update_UnderLoad_NoFailedRequestAndAllReplicasOnNewRelease(string order, int parallelism)
    {
        using var dir = new TempDirectory();
        var (server, compose) = await DeployV1Async(dir, new RollingCompose(dir, LoopbackPort.Free(), Replicas: 3, Parallelism: parallelism, Order: order));
        await using var _ = server;

        var load = new LoadLoop(compose.Port, workers: 4, TimeSpan.FromSeconds(90));
        await Task.Delay(500);
        Assert.Equal(0, (await server.CliAsync("deploy", "--detach", "-c", compose.Write("2"), "web")).ExitCode);
        var rollout = await WaitRolloutAsync(server, "web_app", r => !r.Active, TimeSpan.FromSeconds(60));
        await Task.Delay(500);
        var result = await load.StopAsync();

        Assert.Equal("completed", rollout.State);
        Assert.Equal(3, rollout.Updated);
        Assert.True(result.Failed == 0, $"{result.Failed} of {result.Ok + result.Failed} requests failed: {result.Failures}");
        Assert.Contains("2", result.Versions);
        var replicas = await server.ReplicasAsync("web");
        Assert.Equal(3, replicas.Count);
        Assert.All(replicas, r => Assert.Equal(2, r.Release));
        var events = await server.EventsAsync();
        var batches = events.Count(e => e.Kind == "rollout.batch");
        Assert.Equal(parallelism == 1 ? 3 : 2, batches);
    }

    [Fact]
    public async Task Update_CrashingReleaseWithFailureActionRollback_PreviousReleaseBack()
    {
        using var dir = new TempDirectory();
        var (server, compose) = await DeployV1Async(dir, new RollingCompose(dir, LoopbackPort.Free(), FailureAction: "rollback"));
        await using var _ = server;

        var load = new LoadLoop(compose.Port, workers: 2, TimeSpan.FromSeconds(90));
        var deploy = await server.CliAsync("deploy", "-c", compose.Write("3", crash: true), "web");
        Assert.True(deploy.ExitCode == 1, deploy.ToString());
        Assert.Contains("rolled_back", deploy.Stdout + deploy.Stderr);
        var rollback = await WaitRolloutAsync(server, "web_app", r => r.Kind == "rollback" && !r.Active, TimeSpan.FromSeconds(60));
        var result = await load.StopAsync();

        Assert.Equal("completed", rollback.State);
        Assert.Equal(1, rollback.ToRelease);
        Assert.Contains("exited", rollback.Reason);
        Assert.Equal(1, (await server.ServiceAsync("web_app")).Release);
        var replicas = await server.WaitForReplicasAsync("web", r => r.Count(x => x.Health == "healthy" && x.Release == 1) == 3, TimeSpan.FromSeconds(30), "v1 back");
        Assert.All(replicas, r => Assert.Equal(1, r.Release));
        Assert.True(result.Failed == 0, $"{result.Failed} requests failed during the failed update and rollback: {result.Failures}");
        Assert.Contains(await server.EventsAsync(), e => e.Kind == "rollout.rolled_back");
    }

    [Fact]
    public async Task Update_CrashingReleaseWithFailureActionPause_PausedWithReasonAndOldKeepsServing()
    {
        using var dir = new TempDirectory();
        var (server, compose) = await DeployV1Async(dir, new RollingCompose(dir, LoopbackPort.Free(), FailureAction: "pause"));
        await using var _ = server;

        Assert.Equal(0, (await server.CliAsync("deploy", "--detach", "-c", compose.Write("3", crash: true), "web")).ExitCode);
        var rollout = await WaitRolloutAsync(server, "web_app", r => r.State == "paused", TimeSpan.FromSeconds(40));

        Assert.Equal(1, rollout.Failed);
        Assert.Contains("exited", rollout.Reason);
        var service = await server.ServiceAsync("web_app");
        Assert.Equal("paused", service.Status);
        Assert.Contains("paused", service.StatusReason);
        var v1 = (await server.ReplicasAsync("web")).Count(r => r.Release == 1 && r.Health == "healthy");
        Assert.Equal(3, v1); // start-first: the old replica of the failed slot was never stopped

        var again = await server.Http.PostAsync(ApiRoutes.Rollback("web_app"), JsonContent.Create(new RollbackRequest(null), options: ApiJson.Options));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        await WaitRolloutAsync(server, "web_app", r => r.Kind == "rollback" && r.State == "completed", TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Update_MaxFailureRatio_ToleratesThatShareThenPauses()
    {
        using var dir = new TempDirectory();
        var (server, compose) = await DeployV1Async(dir, new RollingCompose(dir, LoopbackPort.Free(), Replicas: 4, Order: "stop-first", FailureAction: "pause", MaxFailureRatio: 0.3));
        await using var _ = server;

        Assert.Equal(0, (await server.CliAsync("deploy", "--detach", "-c", compose.Write("3", crash: true), "web")).ExitCode);
        var rollout = await WaitRolloutAsync(server, "web_app", r => r.State == "paused", TimeSpan.FromSeconds(60));

        // 1 failure of 4 = 0.25 is tolerated; the second (0.5) exceeds 0.3 and pauses.
        Assert.Equal(2, rollout.Failed);
        Assert.Contains("2 of 4", rollout.Reason);
    }

    [Fact]
    public async Task DeployDuringRollout_RefusedNamingTheRunningRollout()
    {
        using var dir = new TempDirectory();
        var (server, compose) = await DeployV1Async(dir, new RollingCompose(dir, LoopbackPort.Free(), Monitor: "5s"));
        await using var _ = server;

        Assert.Equal(0, (await server.CliAsync("deploy", "--detach", "-c", compose.Write("2"), "web")).ExitCode);
        var second = await server.CliAsync("deploy", "--detach", "-c", compose.Write("4"), "web");

        Assert.NotEqual(0, second.ExitCode);
        Assert.Contains("rollout in progress", second.Stderr);
        Assert.Contains("release 1 to 2", second.Stderr);
        Assert.DoesNotContain(await server.Http.GetFromJsonAsync<List<ReleaseInfo>>(ApiRoutes.Releases("web_app"), ApiJson.Options) ?? [], r => r.Number == 3);
    }

    [Fact]
    public async Task Rollback_ToFirstOfThreeReleases_AllReplicasBackOnIt()
    {
        using var dir = new TempDirectory();
        var (server, compose) = await DeployV1Async(dir, new RollingCompose(dir, LoopbackPort.Free(), Replicas: 2, Parallelism: 0));
        await using var _ = server;
        foreach (var version in new[] { "2", "3" })
        {
            Assert.Equal(0, (await server.CliAsync("deploy", "--detach", "-c", compose.Write(version), "web")).ExitCode);
            await WaitRolloutAsync(server, "web_app", r => r.State == "completed" && r.ToRelease == int.Parse(version, System.Globalization.CultureInfo.InvariantCulture), TimeSpan.FromSeconds(40));
        }

        var response = await server.Http.PostAsync(ApiRoutes.Rollback("web_app"), JsonContent.Create(new RollbackRequest(1), options: ApiJson.Options));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var rollback = await WaitRolloutAsync(server, "web_app", r => r.Kind == "rollback" && r.State == "completed", TimeSpan.FromSeconds(40));

        Assert.Equal(3, rollback.FromRelease);
        Assert.Equal(1, rollback.ToRelease);
        Assert.All(await server.ReplicasAsync("web"), r => Assert.Equal(1, r.Release));
        var releases = await server.Http.GetFromJsonAsync<List<ReleaseInfo>>(ApiRoutes.Releases("web_app"), ApiJson.Options);
        Assert.NotNull(releases);
        Assert.Equal([1, 2, 3], releases.Select(r => r.Number));
        Assert.Equal("current", releases.Single(r => r.Number == 1).State);
        var unknown = await server.Http.PostAsync(ApiRoutes.Rollback("web_app"), JsonContent.Create(new RollbackRequest(9), options: ApiJson.Options));
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
    }

    [Fact]
    public async Task ServerKilledMidRollout_ResumesAndCompletesWithoutOrphans()
    {
        using var dir = new TempDirectory();
        var (server, compose) = await DeployV1Async(dir, new RollingCompose(dir, LoopbackPort.Free(), Replicas: 3, Monitor: "3s"));
        await using var _ = server;

        Assert.Equal(0, (await server.CliAsync("deploy", "--detach", "-c", compose.Write("2"), "web")).ExitCode);
        await WaitRolloutAsync(server, "web_app", r => r.Updated >= 1, TimeSpan.FromSeconds(30));
        var before = await server.ReplicasAsync("web", all: true);
        await server.KillHardAsync();
        await server.RestartAsync();

        var rollout = await WaitRolloutAsync(server, "web_app", r => !r.Active, TimeSpan.FromSeconds(60));
        Assert.Equal("completed", rollout.State);
        var replicas = await server.WaitForReplicasAsync("web", r => r.Count == 3 && r.All(x => x.Release == 2 && x.Health == "healthy"), TimeSpan.FromSeconds(20), "3 on v2");
        Assert.Equal(3, replicas.Select(r => r.Slot).Distinct().Count());
        foreach (var old in before.Where(r => r.Release == 1 && r.Pid is not null))
        {
            Assert.False(Directory.Exists($"/proc/{old.Pid}") && File.ReadAllText($"/proc/{old.Pid}/cmdline").Contains("Articles", StringComparison.Ordinal), $"v1 replica {old.Id} (pid {old.Pid}) still running");
        }
    }
}
