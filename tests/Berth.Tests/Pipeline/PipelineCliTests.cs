using System.Text.Json;
using Berth.Api;
using Berth.Tests.Infrastructure;
using States = Berth.Store.EnvironmentDeploymentStates;

namespace Berth.Tests.Pipeline;

/// <summary>
/// The pipeline through the `berth` CLI: release create → dev → staging → waiting before prod → approve → prod,
/// env ls, history, diff, rollback --env, ps --env, and what is refused (a file with no environments, a plain deploy
/// into prod, a bad release number), each with its exit code.
/// </summary>
public sealed class PipelineCliTests
{
    [Fact]
    public async Task Walkthrough_ReleaseApproveRollback_ThroughTheCli()
    {
        using var app = new PipelineFixture(stagingGates: "{healthy_for: 1s}");
        await using var server = await BerthServerProcess.StartAsync();
        var variables = new Dictionary<string, string> { ["VERSION"] = "1" };

        var created = await server.CliAsync(variables, "release", "create", "-c", app.ComposeFile, "shop", "--version", "v1", "-m", "first");
        Assert.True(created.ExitCode == 0, created + "\nserver:\n" + server.Output);
        Assert.Contains("Stack release 1 (v1) of shop created; it enters dev.", created.Stdout, StringComparison.Ordinal);
        Assert.Contains("Pipeline: dev → staging → prod (approval)", created.Stdout, StringComparison.Ordinal);

        await PipelineFixture.WaitForAsync(server, e => PipelineFixture.Env(e, "prod").PendingRelease == 1, "release 1 waiting before prod");
        var table = await server.CliAsync("env", "ls", "shop");
        Assert.Contains("Release 1 waits for approval to enter prod: berth approve shop 1 --env prod", table.Stdout, StringComparison.Ordinal);
        var json = JsonSerializer.Deserialize<List<EnvironmentInfo>>((await server.CliAsync("env", "ls", "shop", "--json")).Stdout, ApiJson.Options)!;
        Assert.Equal([("dev", 1, States.Succeeded), ("staging", 1, States.Succeeded)], json.Take(2).Select(e => (e.Environment, e.Release ?? 0, e.State)));

        // A plain deploy may not go into prod; ps --env shows staging's replicas.
        var intoProd = await server.CliAsync(variables, "deploy", "-c", app.ComposeFile, "shop", "--env", "prod");
        Assert.NotEqual(0, intoProd.ExitCode);
        Assert.Contains("takes releases only through an approval", intoProd.Stderr, StringComparison.Ordinal);
        var ps = await server.CliAsync("ps", "shop", "--env", "staging");
        Assert.Contains("shop-staging_web", ps.Stdout, StringComparison.Ordinal);

        var approved = await server.CliAsync("approve", "shop", "1", "--env", "prod", "--comment", "QA ok");
        Assert.True(approved.ExitCode == 0, approved.ToString());
        Assert.Contains("Approved release 1 of shop into prod", approved.Stdout, StringComparison.Ordinal);
        await PipelineFixture.WaitForAsync(server, e => PipelineFixture.Env(e, "prod") is { Release: 1, State: States.Succeeded }, "release 1 in prod");

        variables["VERSION"] = "2";
        Assert.Equal(0, (await server.CliAsync(variables, "release", "create", "-c", app.ComposeFile, "shop")).ExitCode);
        await PipelineFixture.WaitForAsync(server, e => PipelineFixture.Env(e, "prod").PendingRelease == 2, "release 2 waiting before prod");
        var diff = await server.CliAsync("diff", "shop", "--env", "staging", "--env", "prod");
        Assert.Contains("staging: release 2   prod: release 1", diff.Stdout, StringComparison.Ordinal);
        Assert.Contains("environment.PAGE_VERSION", diff.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, (await server.CliAsync("approve", "shop", "2", "--env", "prod")).ExitCode);
        await PipelineFixture.WaitForAsync(server, e => PipelineFixture.Env(e, "prod") is { Release: 2, State: States.Succeeded }, "release 2 in prod");

        var rollback = await server.CliAsync("rollback", "shop", "--env", "prod", "--to", "1");
        Assert.True(rollback.ExitCode == 0, rollback.ToString());
        Assert.Contains("Rolling prod of shop back to stack release 1", rollback.Stdout, StringComparison.Ordinal);
        await PipelineFixture.WaitForAsync(server, e => PipelineFixture.Env(e, "prod") is { Release: 1, State: States.Succeeded }, "prod back on release 1");
        Assert.Equal("prod 1", await app.PageAsync("prod"));

        var history = await server.CliAsync("history", "shop", "--env", "prod");
        Assert.Contains("\"QA ok\"", history.Stdout, StringComparison.Ordinal);
        Assert.Contains("rollback", history.Stdout, StringComparison.Ordinal);
        var releases = await server.CliAsync("release", "ls", "shop");
        Assert.Contains("first", releases.Stdout, StringComparison.Ordinal);
        Assert.Contains("local", (await server.CliAsync("target", "ls")).Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadInput_ClearErrorsAndExitCodes()
    {
        using var dir = new TempDirectory();
        var plain = dir.File("plain.yml", "services:\n  web:\n    image: x\n");
        await using var server = await BerthServerProcess.StartAsync();

        var noEnvironments = await server.CliAsync("release", "create", "-c", plain, "shop");
        Assert.Equal(2, noEnvironments.ExitCode);
        Assert.Contains("the files declare no environments: add x-berth.environments", noEnvironments.Stderr, StringComparison.Ordinal);

        var badRelease = await server.CliAsync("approve", "shop", "first", "--env", "prod");
        Assert.NotEqual(0, badRelease.ExitCode);
        Assert.Contains("RELEASE", badRelease.Stderr + badRelease.Stdout, StringComparison.Ordinal);

        var noEnv = await server.CliAsync("approve", "shop", "1");
        Assert.NotEqual(0, noEnv.ExitCode);
        Assert.Contains("--env ENVIRONMENT is required", noEnv.Stderr + noEnv.Stdout, StringComparison.Ordinal);

        var oneEnv = await server.CliAsync("diff", "shop", "--env", "prod");
        Assert.NotEqual(0, oneEnv.ExitCode);

        var unknownStack = await server.CliAsync("env", "ls", "nothing");
        Assert.NotEqual(0, unknownStack.ExitCode);
        Assert.Contains("stack nothing has no release (berth release create)", unknownStack.Stderr, StringComparison.Ordinal);
    }
}
