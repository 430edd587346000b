using Berth.Tests.Infrastructure;
using Docker.DotNet.Models;

namespace Berth.Tests.Swarm;

/// <summary>`berth server --runtime swarm` end to end: deploy the example's Swarm compose file, route, self-heal, scale.</summary>
[Collection(SwarmCollection.Name)]
public sealed class SwarmEngineTests
{
    private static readonly string SwarmCompose = Path.Combine(RepoPaths.Root, "examples", "articles", "docker-compose.swarm.yml");

    [DockerFact]
    public async Task SwarmServer_DeployArticles_ServesThroughRouter_HealsStoppedContainer_Scales()
    {
        var stack = "swe" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(3));
        var port = LoopbackPort.Free();
        var environment = new Dictionary<string, string> { ["ARTICLES_IMAGE"] = ArticlesImage.Tag, ["ARTICLES_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        await using var cleanup = new SwarmStackCleanup(stack);
        await using var server = await BerthServerProcess.StartAsync("--runtime", "swarm");

        var deploy = await server.CliAsync(environment, "deploy", "-c", SwarmCompose, stack);
        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        var replicas = await server.WaitForReplicasAsync(stack, r => r.Count(x => x.State == "running" && x.Health == "healthy") == 2, TimeSpan.FromSeconds(60), "2 healthy replicas");
        Assert.All(replicas, r => Assert.StartsWith("127.0.0.1:", r.Endpoint, StringComparison.Ordinal));

        var ps = await server.CliAsync("ps", stack);
        Assert.Equal(2, ps.Stdout.Split('\n').Count(l => l.Contains("running", StringComparison.Ordinal)));
        var servedBy = await ServedByAsync(port, 10);
        Assert.Equal(2, servedBy.Distinct().Count());

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

        var scale = await server.CliAsync("scale", $"{stack}_app=3");
        Assert.True(scale.ExitCode == 0, scale.ToString());
        await server.WaitForReplicasAsync(stack, r => r.Count(x => x.State == "running" && x.Health == "healthy") == 3, TimeSpan.FromSeconds(60), "3 healthy replicas");
        Assert.Equal(3, (await cleanup.ServicesAsync()).Count);

        var nodes = await server.CliAsync("node", "ls");
        Assert.Contains("manager", nodes.Stdout, StringComparison.Ordinal);
    }

    [DockerFact]
    public async Task SwarmServer_NewReleaseWithMissingImage_ReplicaFailsWithEngineMessage_PreviousReleaseKeepsServing()
    {
        var stack = "swe" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(3));
        var port = LoopbackPort.Free().ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var cleanup = new SwarmStackCleanup(stack);
        await using var server = await BerthServerProcess.StartAsync("--runtime", "swarm");
        var deploy = await server.CliAsync(new Dictionary<string, string> { ["ARTICLES_IMAGE"] = ArticlesImage.Tag, ["ARTICLES_PORT"] = port }, "deploy", "-c", SwarmCompose, stack);
        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        await server.WaitForReplicasAsync(stack, r => r.Count(x => x.Health == "healthy") == 2, TimeSpan.FromSeconds(60), "2 healthy replicas");

        var broken = await server.CliAsync(
            new Dictionary<string, string> { ["ARTICLES_IMAGE"] = "berth-no-such-image:never", ["ARTICLES_PORT"] = port }, "deploy", "-c", SwarmCompose, stack);

        Assert.True(broken.ExitCode != 0, broken.ToString());
        var events = await server.EventsAsync();
        Assert.Contains(events, e => e.Message.Contains("berth-no-such-image", StringComparison.Ordinal));
        var replicas = await server.ReplicasAsync(stack);
        Assert.Equal(2, replicas.Count(r => r.Release == 1 && r.Health == "healthy"));
        Assert.Equal(4, (await ServedByAsync(int.Parse(port, System.Globalization.CultureInfo.InvariantCulture), 4)).Count);
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
