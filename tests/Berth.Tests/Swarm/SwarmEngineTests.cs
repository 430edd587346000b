using Xunit.Abstractions;
using Berth.Tests.Infrastructure;
using Docker.DotNet.Models;

namespace Berth.Tests.Swarm;

/// <summary>
/// `berth server --runtime swarm` end to end, the seed's lab on one node: deploy the example's Swarm compose file, route,
/// self-heal a container stopped by hand, adopt after a server restart, scale, roll out under load, refuse a bad image.
/// </summary>
[Collection(SwarmCollection.Name)]
public sealed class SwarmEngineTests(ITestOutputHelper output)
{
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();

    /// <summary>Timings in the test output (dotnet test --logger "console;verbosity=detailed").</summary>
    private void Step(string what) => output.WriteLine($"{_clock.Elapsed.TotalSeconds,6:F1}s {what}");

    private static readonly string SwarmCompose = Path.Combine(RepoPaths.Root, "examples", "articles", "docker-compose.swarm.yml");

    [DockerFact]
    public async Task SwarmServer_ArticlesLab_ServesHealsAdoptsScalesUpdatesWithoutFailures_BadImageKeepsServing()
    {
        var stack = "swe" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(3));
        var port = LoopbackPort.Free();
        var environment = new Dictionary<string, string> { ["ARTICLES_IMAGE"] = ArticlesImage.Tag, ["ARTICLES_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        await using var cleanup = new SwarmStackCleanup(stack);
        await using var server = await BerthServerProcess.StartAsync("--runtime", "swarm");

        Step("deploy");
        var deploy = await server.CliAsync(environment, "deploy", "-c", SwarmCompose, stack);
        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        var replicas = await server.WaitForReplicasAsync(stack, r => r.Count(x => x.State == "running" && x.Health == "healthy") == 2, TimeSpan.FromSeconds(60), "2 healthy replicas");
        Assert.All(replicas, r => Assert.StartsWith("127.0.0.1:", r.Endpoint, StringComparison.Ordinal));

        var ps = await server.CliAsync("ps", stack);
        Assert.Equal(2, ps.Stdout.Split('\n').Count(l => l.Contains("running", StringComparison.Ordinal)));
        var servedBy = await ServedByAsync(port, 10);
        Assert.Equal(2, servedBy.Distinct().Count());

        Step("stop a container by hand");
        // The seed's own test: stop a container by hand; Swarm replaces it, the router follows.
        using var docker = DockerEngine.Connect();
        var victim = replicas[0];
        var container = (await docker.Containers.ListContainersAsync(new ContainersListParameters
        {
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"berth.replica={victim.Id}"] = true } },
        })).Single();
        await docker.Containers.StopContainerAsync(container.ID, new ContainerStopParameters { WaitBeforeKillSeconds = 5 });
        await server.WaitForReplicasAsync(
            stack,
            r => r.Count(x => x.Health == "healthy") == 2 && r.Single(x => x.Id == victim.Id).Endpoint != victim.Endpoint,
            TimeSpan.FromSeconds(60),
            "the stopped container replaced (same replica, new endpoint)");
        Assert.Equal(2, (await ServedByAsync(port, 10)).Distinct().Count());

        Step("server restart");
        // A server restart adopts the running Swarm services by their berth.replica label.
        var before = (await server.ReplicasAsync(stack)).Select(r => r.Id).Order().ToList();
        await server.KillHardAsync();
        await server.RestartAsync();
        await server.WaitForReplicasAsync(
            stack,
            r => r.Count(x => x.Health == "healthy") == 2 && r.Select(x => x.Id).Order().SequenceEqual(before),
            TimeSpan.FromSeconds(30),
            "the same 2 replicas adopted after a restart");
        Assert.Equal(4, (await ServedByAsync(port, 4)).Count);

        Step("scale to 3");
        var scale = await server.CliAsync("scale", $"{stack}_app=3");
        Assert.True(scale.ExitCode == 0, scale.ToString());
        await server.WaitForReplicasAsync(stack, r => r.Count(x => x.State == "running" && x.Health == "healthy") == 3, TimeSpan.FromSeconds(60), "3 healthy replicas");
        Assert.Equal(3, (await cleanup.ServicesAsync()).Count);

        var nodes = await server.CliAsync("node", "ls");
        Assert.Contains("manager", nodes.Stdout, StringComparison.Ordinal);

        Step("rolling update under load");
        // Rolling update (Berth's, per update_config: start-first, one at a time) under load: no failed request.
        var load = new LoadLoop(port, workers: 2, TimeSpan.FromSeconds(90));
        var update = await server.CliAsync(new Dictionary<string, string>(environment) { ["ARTICLES_VERSION"] = "2" }, "deploy", "-c", SwarmCompose, stack);
        var (ok, failed, failures, _) = await load.StopAsync();
        Assert.True(update.ExitCode == 0, update.ToString());
        Assert.True(failed == 0, $"{failed} of {ok + failed} requests failed during the rolling update: {failures}\nserver output:\n{Tail(server.Output, 80)}");
        Assert.All(await ServedByAsync(port, 6), s => Assert.StartsWith("release=2;", s, StringComparison.Ordinal));

        Step("release with a missing image");
        // A release whose image does not exist: its replica fails with the engine's message; release 2 keeps serving.
        var broken = await server.CliAsync(new Dictionary<string, string>(environment) { ["ARTICLES_IMAGE"] = "berth-no-such-image:never" }, "deploy", "-c", SwarmCompose, stack);
        Assert.True(broken.ExitCode != 0, broken.ToString());
        Assert.Contains(await server.EventsAsync(), e => e.Message.Contains("berth-no-such-image", StringComparison.Ordinal));
        Assert.Equal(2, (await server.ReplicasAsync(stack)).Count(r => r.Release == 2 && r.Health == "healthy"));
        Assert.All(await ServedByAsync(port, 6), s => Assert.StartsWith("release=2;", s, StringComparison.Ordinal));
        Step("done");
    }

    [DockerFact]
    public async Task SwarmServer_ServiceWithoutImage_DeployRefusedNamingTheService()
    {
        using var dir = new TempDirectory();
        var compose = dir.File("compose.yml", """
            services:
              worker:
                x-berth:
                  process:
                    command: ["sleep", "60"]
            """);
        await using var server = await BerthServerProcess.StartAsync("--runtime", "swarm");

        var deploy = await server.CliAsync("deploy", "-c", compose, "noimage");

        Assert.NotEqual(0, deploy.ExitCode);
        Assert.Contains("noimage_worker", deploy.Stderr + deploy.Stdout, StringComparison.Ordinal);
        Assert.Contains("image", deploy.Stderr + deploy.Stdout, StringComparison.Ordinal);
    }

    [DockerFact]
    public async Task SwarmServer_NoEngine_ExitsWithClearError()
    {
        using var dir = new TempDirectory();
        var run = await CliRun.RunAsync(
            ["server", "--runtime", "swarm", "--data", dir.Path, "--listen", "127.0.0.1:0"],
            new Dictionary<string, string> { ["DOCKER_HOST"] = "unix:///tmp/berth-no-such-docker.sock" });

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("no Docker engine answers at unix:///tmp/berth-no-such-docker.sock", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("--runtime process", run.Stderr, StringComparison.Ordinal);
    }

    private static string Tail(string text, int lines) => string.Join('\n', text.Split('\n').TakeLast(lines));

    private static async Task<List<string>> ServedByAsync(int port, int requests)
    {
        using var http = new HttpClient();

        // The front door opens with the service's first reconcile pass (e.g. just after a server restart).
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var first = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/healthz"));
                break;
            }
            catch (HttpRequestException) when (clock.Elapsed < TimeSpan.FromSeconds(10))
            {
                await Task.Delay(200);
            }
        }

        var servedBy = new List<string>();
        for (var i = 0; i < requests; i++)
        {
            using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/"));
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            servedBy.Add(response.Headers.GetValues("X-Berth-Served-By").Single());
        }

        return servedBy;
    }
}
