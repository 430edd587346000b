using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Berth.Api;
using Berth.Cli.Commands.Server;
using Berth.Cli.Usage;
using Berth.Tests.Infrastructure;
using Berth.Tests.Strategies;
using ProcessCli = Berth.Tests.Infrastructure.CliRun;

namespace Berth.Tests.Cli;

/// <summary>
/// The ahead-of-time compiled `berth` (scripts/package.sh) does what the JIT-compiled one does: the same command tree,
/// help and exit codes, JSON through generated metadata, TLS, the local credential, the hand-over to `berth-server`.
/// Skipped without the binary on a developer's machine; with CI=true it must be there (.ci/run packages first).
/// </summary>
public sealed class AotCliTests
{
    [AotFact]
    public async Task Help_EveryCommand_SameAsTheJitCli()
    {
        List<IReadOnlyList<string>> paths = [[], .. CommandCatalog.Berth.Root.SelfAndDescendants().Where(c => c.Path.Count > 0).Select(c => c.Path)];
        var differences = new List<string>();

        await Parallel.ForEachAsync(paths, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (path, _) =>
        {
            string[] args = [.. path, "--help"];
            var jit = await ProcessCli.RunAsync(args);
            var aot = await AotCli.RunAsync(args);
            if (jit.ExitCode != aot.ExitCode || jit.Stdout != aot.Stdout || jit.Stderr != aot.Stderr)
            {
                lock (differences)
                {
                    differences.Add($"berth {string.Join(' ', args)}:\nJIT {jit}\nAOT {aot}");
                }
            }
        });

        Assert.True(paths.Count > 30, $"only {paths.Count} commands in the catalog");
        Assert.True(differences.Count == 0, string.Join("\n\n", differences));
    }

    [AotFact]
    public async Task UnknownOptionOrCommand_ExitsTwoWithDidYouMean()
    {
        var option = await AotCli.RunAsync("rollback", "articles_app", "--too", "1");
        var command = await AotCli.RunAsync("servce", "ls");
        var value = await AotCli.RunAsync("rollback", "articles_app", "--to", "abc");

        Assert.Equal(2, option.ExitCode);
        Assert.Contains("error: unknown option `--too` for `berth rollback`; did you mean `--to`?", option.Stderr);
        Assert.Contains("USAGE:", option.Stderr);
        Assert.Equal(2, command.ExitCode);
        Assert.Contains("did you mean `service`?", command.Stderr);
        Assert.Equal(2, value.ExitCode);
        Assert.Contains("--to: 'abc' is not a release number", value.Stderr);
    }

    [AotFact]
    public async Task Config_ExampleComposeFiles_SameAsTheJitCli()
    {
        foreach (var file in (string[])["docker-compose.yml", "docker-compose.canary.yml", "docker-compose.blue-green.yml", "docker-compose.swarm.yml"])
        {
            string[] args = ["config", "-c", Path.Combine(RepoPaths.Root, "examples", "articles", file), "--json"];

            var jit = await ProcessCli.RunAsync(args);
            var aot = await AotCli.RunAsync(args);

            Assert.True(aot.ExitCode == 0, aot.ToString());
            Assert.Equal(jit.Stdout, aot.Stdout);
            Assert.Equal(jit.Stderr, aot.Stderr);
        }
    }

    [AotFact]
    public async Task Config_ComposeFilesTheSchemaRefuses_SameErrorsAsTheJitCli()
    {
        // The compiled client skips JsonSchema.Net's module initializer (src/Berth.Cli/JsonSchemaStartup.Substitutions.xml):
        // the Compose schema must still refuse what the JIT client refuses, with the same words.
        using var dir = new TempDirectory();
        string[] documents =
        [
            "services:\n  web:\n    image: nginx\n    pull_policy: sometimes\n",
            "services:\n  web:\n    image: nginx\n    ports: [{target: \"eighty\"}]\n",
            "services:\n  web:\n    image: nginx\n    deploy:\n      replicas: 2\n      update_config: {order: sideways}\n",
            "services:\n  web:\n    image: nginx\n    healthcheck: {test: [CMD, true], interval: 1s, retires: 3}\n",
            "services:\n  web:\n    image: nginx\nvolumes:\n  data: {driver: 3}\nnetworks: [front]\n",
        ];
        for (var i = 0; i < documents.Length; i++)
        {
            string[] args = ["config", "-c", dir.File($"compose{i}.yml", documents[i])];

            var jit = await ProcessCli.RunAsync(args);
            var aot = await AotCli.RunAsync(args);

            Assert.True(jit.ExitCode != 0, jit.ToString());
            Assert.Equal(jit.ExitCode, aot.ExitCode);
            Assert.Equal(jit.Stderr, aot.Stderr);
            Assert.Equal(jit.Stdout, aot.Stdout);
        }
    }

    [AotFact]
    public async Task ServerDown_VersionJsonPrintsTheClientAndExitsThree()
    {
        var environment = new Dictionary<string, string> { ["BERTH_HOST"] = $"http://127.0.0.1:{LoopbackPort.Free()}" };

        var version = await AotCli.RunWithAsync(environment, "version", "--json");
        var ls = await AotCli.RunWithAsync(environment, "service", "ls");

        Assert.Equal(3, version.ExitCode);
        using var json = JsonDocument.Parse(version.Stdout);
        Assert.Equal(VersionCommandVersion(), json.RootElement.GetProperty("client").GetProperty("version").GetString()!.Split('+')[0]);
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("server").ValueKind);
        Assert.Equal(3, ls.ExitCode);
        Assert.Contains("Cannot reach the Berth server", ls.Stderr);
        Assert.DoesNotContain("   at ", ls.Stderr);
    }

    [AotFact]
    public async Task RealServer_ListsDeploysPromotesAndRollsBackWithTheLocalCredential()
    {
        using var dir = new TempDirectory("berth-aot");
        var compose = new StrategyCompose(dir, LoopbackPort.Free(), """
            strategy: blue-green
            blue_green:
              auto_promote: false
              scale_down_delay: 60s
            """);
        await using var server = await BerthServerProcess.StartAsync();

        var deploy = await AotCli.RunAsync(server, "deploy", "-c", compose.Write("1"), "web");
        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        var table = await AotCli.RunAsync(server, "service", "ls");
        var services = await AotCli.RunAsync(server, "service", "ls", "--json");
        var replicas = await AotCli.RunAsync(server, "ps", "web", "--json");
        var version = await AotCli.RunAsync(server, "version", "--json");
        var whoami = await AotCli.RunAsync(server, "whoami", "--json");

        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.StartsWith("NAME ", table.Stdout, StringComparison.Ordinal);
        Assert.Contains("web_app", table.Stdout);
        Assert.Equal(1, Assert.Single(JsonSerializer.Deserialize<ServiceInfo[]>(services.Stdout, ApiJson.Options)!).Release);
        Assert.Equal(2, JsonSerializer.Deserialize<ReplicaInfo[]>(replicas.Stdout, ApiJson.Options)!.Length);
        using (var json = JsonDocument.Parse(version.Stdout))
        {
            Assert.Equal("process", json.RootElement.GetProperty("server").GetProperty("runtime").GetString());
        }

        using (var json = JsonDocument.Parse(whoami.Stdout))
        {
            Assert.Equal("local-admin", json.RootElement.GetProperty("token").GetString());
            Assert.StartsWith("the local server's admin token (", json.RootElement.GetProperty("credential").GetString(), StringComparison.Ordinal);
        }

        // Blue/green: green waits for `promote`, then blue is still up when `rollback` flips back.
        var green = await AotCli.RunAsync(server, "deploy", "--detach", "-c", compose.Write("2"), "web");
        Assert.True(green.ExitCode == 0, green.ToString());
        await WaitRolloutAsync(server, r => r is { ToRelease: 2, State: "paused" }, "green waiting for promote");
        var promote = await AotCli.RunAsync(server, "promote", "web_app");
        Assert.True(promote.ExitCode == 0, promote.ToString());
        Assert.Contains("Promotion of web_app to release 2 requested", promote.Stdout);
        await WaitRolloutAsync(server, r => r is { ToRelease: 2, Progress.Phase: "promoted" or "done" } || r.State == "completed", "switched to green");
        var rollback = await AotCli.RunAsync(server, "rollback", "web_app", "--detach", "--json");
        var badRelease = await AotCli.RunAsync(server, "rollback", "web_app", "--to", "99");
        var noRollout = await AotCli.RunAsync(server, "promote", "nosuch_app");

        Assert.True(rollback.ExitCode == 0, rollback.ToString());
        var rolledBack = JsonSerializer.Deserialize<RolloutInfo>(rollback.Stdout, ApiJson.Options)!;
        // Blue still up: the rollback is the switch reversed (the blue/green rollout aborted, release 1 serves again).
        Assert.Equal(("aborted", 2, 1), (rolledBack.State, rolledBack.ToRelease, rolledBack.FromRelease));
        Assert.Contains("Rolled web_app back to release 1", rollback.Stderr);
        Assert.Equal(2, badRelease.ExitCode);
        Assert.Equal(1, noRollout.ExitCode);
    }

    [AotFact]
    public async Task RealServer_BadTokenExitsFourAndUnknownStackExitsOne()
    {
        await using var server = await BerthServerProcess.StartAsync();
        var environment = new Dictionary<string, string>(server.HostEnvironment) { ["BERTH_TOKEN"] = "berth_not-a-real-token" };

        var refused = await AotCli.RunWithAsync(environment, "service", "ls");
        var unknown = await AotCli.RunAsync(server, "ps", "nosuchstack");

        Assert.Equal(4, refused.ExitCode);
        Assert.Contains("credential used: BERTH_TOKEN", refused.Stderr);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("error: ", unknown.Stderr);
    }

    [AotFact]
    public async Task TlsServer_WithItsCaWorks_WithoutItExitsThree()
    {
        using var files = new TempDirectory("berth-aot-tls");
        using var authority = await TestCertificateAuthority.CreateAsync("Berth AOT Test CA");
        var (certificate, key) = await authority.IssueServerAsync(files.Path);
        await using var server = await BerthServerProcess.StartAsync("--tls-cert", certificate, "--tls-key", key);

        var trusted = await AotCli.RunAsync(server, "whoami", "--tls-ca", authority.CertificateFile);
        var untrusted = await AotCli.RunAsync(server, "service", "ls");

        Assert.Equal(Uri.UriSchemeHttps, server.Address.Scheme);
        Assert.True(trusted.ExitCode == 0, trusted.ToString());
        Assert.Contains("local-admin (admin", trusted.Stdout);
        Assert.Equal(3, untrusted.ExitCode);
        Assert.Contains("Cannot trust the Berth server", untrusted.Stderr);
    }

    [AotFact]
    public async Task Server_HandsOverToThePackagedServer_SamePidStopsCleanly()
    {
        using var data = new TempDirectory("berth-aot-server");
        var start = new ProcessStartInfo(AotCli.Path!) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])["server", "--data", data.Path, "--listen", "127.0.0.1:0"])
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        string? line;
        while ((line = await process.StandardOutput.ReadLineAsync(cancel.Token)) is not null && !line.Contains("listening on ", StringComparison.Ordinal))
        {
        }

        var program = (await File.ReadAllTextAsync($"/proc/{process.Id}/cmdline")).Split('\0')[0];
        BerthServerProcess.Signal(process.Id, "TERM");
        await process.WaitForExitAsync(cancel.Token);

        Assert.True(line is not null, $"the server did not start: {await stderr}");
        Assert.Equal(Path.Combine(Path.GetDirectoryName(AotCli.Path)!, ServerExecutable.PackagedName), program);
        Assert.Equal(0, process.ExitCode);
    }

    [AotFact]
    public async Task Build_NoDockerEngine_ExitsThreeNamingIt()
    {
        using var dir = new TempDirectory("berth-aot-build");
        var compose = dir.File("docker-compose.yml", "services:\n  app:\n    image: aot-test:1\n    build: .\n");
        dir.File("Dockerfile", "FROM scratch\n");
        var environment = new Dictionary<string, string> { ["DOCKER_HOST"] = $"unix://{Path.Combine(dir.Path, "no-docker.sock")}" };

        var build = await AotCli.RunWithAsync(environment, "build", "-c", compose);

        Assert.Equal(3, build.ExitCode);
        Assert.Contains("no Docker engine answers at unix://", build.Stderr);
    }

    [AotFact(NeedsDocker = true)]
    public async Task Build_WithDockerEngine_BuildsTheImage()
    {
        using var dir = new TempDirectory("berth-aot-build");
        var tag = $"berth-aot-test:{Guid.NewGuid():N}"[..27];
        var compose = dir.File("docker-compose.yml", $"services:\n  app:\n    image: {tag}\n    build: .\n");
        dir.File("Dockerfile", "FROM scratch\nCOPY hello.txt /\n");
        dir.File("hello.txt", "hello\n");

        var build = await AotCli.RunAsync("build", "-c", compose);

        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.Contains($"Built app: {tag}", build.Stdout);
        using var docker = DockerEngine.Connect();
        await docker.Images.DeleteImageAsync(tag, new Docker.DotNet.Models.ImageDeleteParameters { Force = true });
    }

    private static string VersionCommandVersion() =>
        typeof(VersionCommand).Assembly.GetName().Version!.ToString(3);

    private static async Task WaitRolloutAsync(BerthServerProcess server, Func<RolloutInfo, bool> done, string what)
    {
        var clock = Stopwatch.StartNew();
        RolloutInfo? last = null;
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            var response = await server.Http.GetAsync(ApiRoutes.Rollout(StrategyRig.Service));
            last = response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<RolloutInfo>(ApiJson.Options) : null;
            if (last is not null && done(last))
            {
                return;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"timed out waiting for {what}; last rollout: {last}\nserver output:\n{server.Output}");
    }
}
