using System.Text.Json;
using Berth.Api;

namespace Berth.Tests.Cli;

/// <summary>`deploy --prune`, services no longer in the files, and the server's runtime warnings, against a fake API.</summary>
public sealed class DeployPruneCommandTests
{
    private static readonly DeployResponse WorkerDropped = new("articles", [new ServiceDeployResult("articles_app", 1, Changed: false, "unchanged")])
    {
        Kept = ["articles_worker"],
    };

    private static readonly DeployResponse WorkerPruned = new("articles", [new ServiceDeployResult("articles_app", 1, Changed: false, "unchanged")])
    {
        Pruned = ["articles_worker"],
    };

    [Fact]
    public async Task Deploy_ServiceNoLongerInFiles_SaysItIsKeptAndSendsNoPrune()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.OnJson("POST", ApiRoutes.Deploy("articles"), () => WorkerDropped);

        var run = await CliRun.RunAsync(api, FakeComposeLoading.Valid(), "deploy", "-c", "compose.yml", "articles");

        Assert.Equal(0, run.ExitCode);
        Assert.False(JsonSerializer.Deserialize<DeployRequest>(api.Requests[0].Body, ApiJson.Options)!.Prune);
        Assert.Contains("articles_worker is not in the files; kept (use --prune to remove it)\n", run.Out.ReplaceLineEndings("\n"));
        Assert.DoesNotContain(api.Requests, r => r.Path == ApiRoutes.Services);
    }

    [Fact]
    public async Task Deploy_Prune_SendsPruneAndWaitsUntilThePrunedServiceIsGone()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.OnJson("POST", ApiRoutes.Deploy("articles"), () => WorkerPruned);
        var polls = 0;
        api.OnJson("GET", ApiRoutes.Services, () => Interlocked.Increment(ref polls) > 2
            ? new[] { Samples.Service("articles_app") }
            : new[] { Samples.Service("articles_app"), Samples.Service("articles_worker", status: "removing") });
        api.OnJson("GET", ApiRoutes.Replicas, () => polls > 2
            ? Array.Empty<ReplicaInfo>()
            : new[] { Samples.Replica("articles_worker", 1, desiredState: "shutdown") });

        var run = await CliRun.RunAsync(api, FakeComposeLoading.Valid(), "deploy", "-c", "compose.yml", "--prune", "articles");

        Assert.Equal(0, run.ExitCode);
        Assert.True(JsonSerializer.Deserialize<DeployRequest>(api.Requests[0].Body, ApiJson.Options)!.Prune);
        Assert.Equal(3, polls);
        var lines = run.Out.ReplaceLineEndings("\n");
        Assert.Contains("Removing service articles_worker\n", lines);
        Assert.Contains("Removing service articles_worker: 1 replica left\n", lines);
        Assert.Contains("Service articles_worker removed\n", lines);
        Assert.EndsWith("Stack articles deployed: every service is healthy, the pruned ones are gone.\n", lines);
    }

    [Fact]
    public async Task Deploy_PrunedServiceNeverGone_TimesOutNamingItsReplicas()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.OnJson("POST", ApiRoutes.Deploy("articles"), () => WorkerPruned);
        api.OnJson("GET", ApiRoutes.Services, () => new[] { Samples.Service("articles_worker", status: "removing") });
        api.OnJson("GET", ApiRoutes.Replicas, () => new[] { Samples.Replica("articles_worker", 1, desiredState: "shutdown") });

        var run = await CliRun.RunAsync(api, FakeComposeLoading.Valid(), "deploy", "-c", "compose.yml", "--prune", "--timeout", "0.2s", "articles");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("timed out", run.Error);
        Assert.Contains("  Removing service articles_worker: 1 replica left", run.Error);
    }

    [Fact]
    public async Task Deploy_PruneDetach_ReturnsWithoutWaiting()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.OnJson("POST", ApiRoutes.Deploy("articles"), () => WorkerPruned);

        var run = await CliRun.RunAsync(api, FakeComposeLoading.Valid(), "deploy", "-c", "compose.yml", "--prune", "-d", "articles");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Removing service articles_worker", run.Out);
        Assert.Single(api.Requests);
    }

    [Fact]
    public async Task Deploy_ServerWarnings_PrintedToStderrAsWarnings()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.OnJson("POST", ApiRoutes.Deploy("articles"), () => WorkerDropped with
        {
            Warnings = [new DeployWarning("articles_app", "services.app.deploy.resources", "not applied on the process runtime (replicas are plain processes); kept in the release")],
        });

        var run = await CliRun.RunAsync(api, FakeComposeLoading.Valid(), "deploy", "-c", "compose.yml", "-d", "articles");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("warning: services.app.deploy.resources: not applied on the process runtime (replicas are plain processes); kept in the release", run.Error);
        Assert.DoesNotContain("warning", run.Out);
    }

    [Fact]
    public async Task Deploy_Json_CarriesPrunedKeptAndWarnings_WarningsStillOnStderr()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.OnJson("POST", ApiRoutes.Deploy("articles"), () => WorkerPruned with
        {
            Warnings = [new DeployWarning("articles_app", "services.app.labels", "not applied")],
        });

        var run = await CliRun.RunAsync(api, FakeComposeLoading.Valid(), "deploy", "-c", "compose.yml", "--prune", "-d", "--json", "articles");

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        Assert.Equal(["stack", "services", "pruned", "kept", "warnings"], json.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("articles_worker", json.RootElement.GetProperty("pruned")[0].GetString());
        Assert.Equal("services.app.labels", json.RootElement.GetProperty("warnings")[0].GetProperty("key").GetString());
        Assert.Equal("warning: services.app.labels: not applied", run.Error.Trim());
    }

    [Fact]
    public async Task Deploy_OlderServerWithoutTheNewFields_ReadsThemAsEmpty()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.On("POST", ApiRoutes.Deploy("articles"), context => FakeBerthApi.WriteJsonAsync(
            context, new { stack = "articles", services = new[] { new { service = "articles_app", release = 1, changed = false, summary = "unchanged" } } }));

        var run = await CliRun.RunAsync(api, FakeComposeLoading.Valid(), "deploy", "-c", "compose.yml", "-d", "--json", "articles");

        Assert.Equal(0, run.ExitCode);
        var response = JsonSerializer.Deserialize<DeployResponse>(run.Out, ApiJson.Options)!;
        Assert.Empty(response.Pruned);
        Assert.Empty(response.Kept);
        Assert.Empty(response.Warnings);
    }
}
