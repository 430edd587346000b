using System.Text.Json;
using Berth.Api;
using Berth.Spec;

namespace Berth.Tests.Cli;

public sealed class DeployCommandTests
{
    private static readonly DeployResponse AppUpdated = new(
        "articles",
        [
            new ServiceDeployResult("articles_app", 2, Changed: true, "image articles/app:1 -> articles/app:2"),
            new ServiceDeployResult("articles_db", 1, Changed: false, string.Empty),
        ]);

    [Fact]
    public async Task Deploy_InvalidCompose_ExitsTwoPrintsAllDiagnosticsSendsNothing()
    {
        await using var api = await FakeBerthApi.StartAsync();
        var loading = FakeComposeLoading.Invalid(
            new SpecDiagnostic(DiagnosticSeverity.Warning, "compose.yml", 2, 3, "services.app.cpu_shares", "unknown key, ignored"),
            new SpecDiagnostic(DiagnosticSeverity.Error, "compose.yml", 7, 9, "services.app.deploy.replicas", "must be >= 0"),
            new SpecDiagnostic(DiagnosticSeverity.Error, "compose.yml", 12, 5, "services.db.image", "image or build is required"));

        var run = await CliRun.RunAsync(api, loading, "deploy", "-c", "compose.yml", "articles");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("compose.yml:2:3: warning: services.app.cpu_shares: unknown key, ignored", run.Error);
        Assert.Contains("compose.yml:7:9: error: services.app.deploy.replicas: must be >= 0", run.Error);
        Assert.Contains("compose.yml:12:5: error: services.db.image: image or build is required", run.Error);
        Assert.Empty(api.Requests);
    }

    [Fact]
    public async Task Deploy_Detach_SendsSpecAndPrintsPerServiceResults()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.OnJson("POST", ApiRoutes.Deploy("articles"), () => AppUpdated);
        var loading = FakeComposeLoading.Valid(
            new SpecDiagnostic(DiagnosticSeverity.Warning, "compose.yml", 2, 3, "services.app.cpu_shares", "unknown key, ignored"));

        var run = await CliRun.RunAsync(api, loading, "deploy", "-c", "compose.yml", "-c", "prod.yml", "--env-file", "prod.env", "--detach", "articles");

        Assert.Equal(0, run.ExitCode);
        var request = Assert.Single(api.Requests);
        var sent = JsonSerializer.Deserialize<DeployRequest>(request.Body, ApiJson.Options)!;
        Assert.Equal(["app", "db"], sent.Spec.Services.Keys);
        Assert.Contains("Updating service articles_app (release 2): image articles/app:1 -> articles/app:2", run.Out);
        Assert.Contains("articles_db unchanged", run.Out);
        Assert.Contains("warning: services.app.cpu_shares", run.Error);
        var load = Assert.Single(loading.Requests);
        Assert.Equal(["compose.yml", "prod.yml"], load.Files);
        Assert.Equal(["prod.env"], load.EnvFiles);
    }

    [Fact]
    public async Task Deploy_Json_PrintsDeployResponse()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.OnJson("POST", ApiRoutes.Deploy("articles"), () => AppUpdated);

        var run = await CliRun.RunAsync(api, FakeComposeLoading.Valid(), "deploy", "-c", "compose.yml", "--detach", "--json", "articles");

        Assert.Equal(0, run.ExitCode);
        var response = JsonSerializer.Deserialize<DeployResponse>(run.Out, ApiJson.Options)!;
        Assert.Equal("articles", response.Stack);
        Assert.Equal(2, response.Services.Count);
    }

    [Fact]
    public async Task Deploy_Wait_ExitsZeroOnceReplicasHealthy()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.OnJson("POST", ApiRoutes.Deploy("articles"), () => AppUpdated);
        var servicePolls = 0;
        api.OnJson("GET", ApiRoutes.Services, () => new[] { Samples.Service("articles_app", desired: 2, healthy: 0, status: Interlocked.Increment(ref servicePolls) > 2 ? "running" : "converging") });
        var polls = 0;
        api.OnJson("GET", ApiRoutes.Replicas, () =>
        {
            var health = Interlocked.Increment(ref polls) > 2 ? "healthy" : "starting";
            return new[] { Samples.Replica("articles_app", 1, health: health), Samples.Replica("articles_app", 2, health: health) };
        });

        var run = await CliRun.RunAsync(api, FakeComposeLoading.Valid(), "deploy", "-c", "compose.yml", "articles");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(3, polls);
        Assert.Contains("articles_app (release 2): healthy 0/2", run.Out);
        Assert.Contains("articles_app (release 2): healthy 2/2", run.Out);
        Assert.All(api.Requests.Where(r => r.Path == ApiRoutes.Replicas), r => Assert.Equal("?stack=articles", r.Query));
    }

    [Fact]
    public async Task Deploy_Wait_ReplicasRunningButServiceStillConverging_KeepsWaiting()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.OnJson("POST", ApiRoutes.Deploy("articles"), () => AppUpdated);
        api.OnJson("GET", ApiRoutes.Services, () => new[] { Samples.Service("articles_app", desired: 1, healthy: 1, status: "converging") });
        api.OnJson("GET", ApiRoutes.Replicas, () => new[] { Samples.Replica("articles_app", 1, health: "healthy") });

        var run = await CliRun.RunAsync(api, FakeComposeLoading.Valid(), "deploy", "-c", "compose.yml", "--timeout", "2", "articles");

        Assert.Equal(1, run.ExitCode);
    }

    [Fact]
    public async Task Deploy_Wait_EngineRolledBackAwayFromNewRelease_ExitsOneWithReason()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.OnJson("POST", ApiRoutes.Deploy("articles"), () => AppUpdated);
        api.OnJson("GET", ApiRoutes.Services, () => new[] { Samples.Service("articles_app", desired: 2, healthy: 0, release: 1, status: "converging") });
        api.OnJson("GET", ApiRoutes.Replicas, () => new[] { Samples.Replica("articles_app", 1, health: "healthy") });
        api.OnJson("GET", ApiRoutes.Rollout("articles_app"), () => Samples.Rollout() with { Kind = "rollback", FromRelease = 2, ToRelease = 1, State = "rolling_back", Reason = "replica articles_app.1.x exited (code 1) within monitor 5s" });

        var run = await CliRun.RunAsync(api, FakeComposeLoading.Valid(), "deploy", "-c", "compose.yml", "articles");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("exited (code 1) within monitor", run.Out + run.Error);
    }

    [Fact]
    public async Task Deploy_WaitOnTerminal_ShowsLiveTableAndExitsZero()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.OnJson("POST", ApiRoutes.Deploy("articles"), () => AppUpdated);
        var servicePolls = 0;
        api.OnJson("GET", ApiRoutes.Services, () => new[] { Samples.Service("articles_app", desired: 1, healthy: 0, status: Interlocked.Increment(ref servicePolls) > 1 ? "running" : "converging") });
        var polls = 0;
        api.OnJson("GET", ApiRoutes.Replicas, () =>
            new[] { Samples.Replica("articles_app", 1, health: Interlocked.Increment(ref polls) > 1 ? "healthy" : "starting") });

        var run = await CliRun.RunAsync(new CliRunOptions { Api = api, Loading = FakeComposeLoading.Valid(), Interactive = true }, "deploy", "-c", "compose.yml", "articles");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("healthy 1/1", run.Out);
    }

    [Fact]
    public async Task Deploy_ServiceFails_ExitsOneWithStatusReason()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.OnJson("POST", ApiRoutes.Deploy("articles"), () => AppUpdated);
        api.OnJson("GET", ApiRoutes.Services, () => new[] { Samples.Service("articles_app", desired: 2, healthy: 0, status: "failed", reason: "replica exited with code 1, 3 times") });
        api.OnJson("GET", ApiRoutes.Replicas, () => Array.Empty<ReplicaInfo>());

        var run = await CliRun.RunAsync(api, FakeComposeLoading.Valid(), "deploy", "-c", "compose.yml", "articles");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("service articles_app failed: replica exited with code 1, 3 times", run.Error);
    }

    [Fact]
    public async Task Deploy_NeverHealthy_TimesOutWithExitOneAndWhatIsMissing()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.OnJson("POST", ApiRoutes.Deploy("articles"), () => AppUpdated);
        api.OnJson("GET", ApiRoutes.Services, () => new[] { Samples.Service("articles_app", desired: 2, healthy: 0, status: "converging") });
        api.OnJson("GET", ApiRoutes.Replicas, () => new[] { Samples.Replica("articles_app", 1, health: "starting") });

        var run = await CliRun.RunAsync(api, FakeComposeLoading.Valid(), "deploy", "-c", "compose.yml", "--timeout", "0.2s", "articles");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("timed out", run.Error);
        Assert.Contains("articles_app (release 2): healthy 0/2", run.Error);
    }

    [Fact]
    public async Task Deploy_Wait_RolloutRolledBack_ExitsOneWithReason()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.OnJson("POST", ApiRoutes.Deploy("articles"), () => AppUpdated);
        api.OnJson("GET", ApiRoutes.Services, () => new[] { Samples.Service("articles_app", desired: 2, healthy: 1, status: "converging") });
        api.OnJson("GET", ApiRoutes.Replicas, () => new[] { Samples.Replica("articles_app", 1, release: 1) });
        var polls = 0;
        api.OnJson("GET", ApiRoutes.Rollout("articles_app"), () => Interlocked.Increment(ref polls) > 1
            ? Samples.Rollout(state: "rolled_back", reason: "2 replicas failed their healthcheck")
            : Samples.Rollout(state: "updating"));

        var run = await CliRun.RunAsync(api, FakeComposeLoading.Valid(), "deploy", "-c", "compose.yml", "articles");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(2, polls);
        Assert.Contains("error: articles_app: rollout to release 2 rolled_back: 2 replicas failed their healthcheck", run.Error);
        Assert.DoesNotContain(api.Requests, r => r.Path == ApiRoutes.Rollout("articles_db"));
    }

    [Fact]
    public async Task Deploy_Wait_LatestRolloutIsAnOlderRelease_IgnoresIt()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.OnJson("POST", ApiRoutes.Deploy("articles"), () => AppUpdated);
        api.OnJson("GET", ApiRoutes.Services, () => new[] { Samples.Service("articles_app", desired: 1, healthy: 1) });
        api.OnJson("GET", ApiRoutes.Replicas, () => new[] { Samples.Replica("articles_app", 1) });
        api.OnJson("GET", ApiRoutes.Rollout("articles_app"), () => Samples.Rollout(state: "rolled_back", from: 0, to: 1));

        var run = await CliRun.RunAsync(api, FakeComposeLoading.Valid(), "deploy", "-c", "compose.yml", "articles");

        Assert.Equal(0, run.ExitCode);
    }

    [Fact]
    public async Task Deploy_NoComposeFile_ExitsTwo()
    {
        var run = await CliRun.RunAsync(api: null, FakeComposeLoading.Valid(), "deploy", "articles");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("-c FILE", run.Error);
    }
}
