using Berth.Tests.Infrastructure;
using Docker.DotNet.Models;
using Xunit.Abstractions;

namespace Berth.Tests.Swarm;

/// <summary>
/// The seed's Swarm lab, step by step, through `berth server --runtime swarm` and the CLI verbs on the real single-node
/// Swarm: deploy (replicas 2, restart_policy any), list, serve, a container stopped by hand, scale to 5, drain and
/// activate the node, then a rolling update with its update_config under load.
/// </summary>
[Collection(SwarmCollection.Name)]
public sealed class SeedLabTests(ITestOutputHelper output)
{
    [DockerFact]
    public async Task SeedLab_OnSwarm_DeployListServeHealScaleDrainActivateRoll_NoFailedRequest()
    {
        await using var rig = await SwarmLabRig.StartAsync(output, "lab");
        await using var node = await LocalNodeGuard.OpenAsync();

        rig.Step("docker stack deploy → berth deploy (replicas 2, restart_policy any)");
        var deploy = await rig.DeployAsync("1");
        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        var replicas = await rig.WaitHealthyAsync(2);

        rig.Step("docker service ls / docker stack ps → berth service ls / berth ps");
        var services = await rig.Server.CliAsync("service", "ls");
        Assert.True(services.ExitCode == 0, services.ToString());
        var line = services.Stdout.Split('\n').Single(l => l.Contains(rig.Service, StringComparison.Ordinal));
        Assert.Contains("2/2", line, StringComparison.Ordinal);
        var ps = await rig.Server.CliAsync("ps", rig.Stack);
        Assert.True(ps.ExitCode == 0, ps.ToString());
        Assert.All(replicas, r => Assert.Contains(r.Id, ps.Stdout, StringComparison.Ordinal));
        Assert.Equal(2, ps.Stdout.Split('\n').Count(l => l.Contains("running", StringComparison.Ordinal)));
        Assert.Equal(2, (await SwarmServicesAsync(rig.Stack)).Count);

        rig.Step("the page through the router, and which replica served it");
        var servedBy = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 10; i++)
        {
            var page = await rig.GetAsync();
            Assert.Equal(200, page.Status);
            Assert.NotNull(page.ServedBy);
            servedBy.Add(page.ServedBy);
        }

        Assert.Equal(replicas.Select(r => $"release=1; replica={r.Id}").Order(), servedBy.Order());

        rig.Step("docker container stop ID (the seed's own test)");
        var victim = replicas[0];
        using (var docker = DockerEngine.Connect())
        {
            var container = (await docker.Containers.ListContainersAsync(new ContainersListParameters
            {
                Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"berth.replica={victim.Id}"] = true } },
            })).Single();
            await docker.Containers.StopContainerAsync(container.ID, new ContainerStopParameters { WaitBeforeKillSeconds = 5 });
        }

        await rig.Server.WaitForReplicasAsync(
            rig.Stack,
            r => r.Count(x => x.Health == "healthy") == 2 && r.Single(x => x.Id == victim.Id).Endpoint is { } endpoint && endpoint != victim.Endpoint,
            TimeSpan.FromSeconds(60),
            "the stopped container replaced by Swarm (same replica, new task and endpoint)");
        Assert.Equal(200, (await rig.GetAsync()).Status);

        rig.Step("docker service scale articles_app=5 → berth scale");
        var scale = await rig.Server.CliAsync("scale", $"{rig.Service}=5");
        Assert.True(scale.ExitCode == 0, scale.ToString());
        var five = await rig.WaitHealthyAsync(5);
        Assert.Equal(5, (await SwarmServicesAsync(rig.Stack)).Count);
        Assert.Equal(5, five.Select(r => r.Endpoint).Distinct().Count());

        var others = await LocalNodeGuard.WaitForOtherServicesToLeaveAsync(rig.Stack, TimeSpan.FromSeconds(45));
        rig.Step($"docker node update --availability drain → berth node drain (other services on the node: {others.Count})");
        var drain = await rig.Server.CliAsync("node", "drain", node.Hostname);
        Assert.True(drain.ExitCode == 0, drain.ToString());
        Assert.Equal("drain", await node.AvailabilityAsync());
        var drained = await rig.Server.WaitForReplicasAsync(
            rig.Stack,
            r => r.Count(x => x.DesiredState == "running") == 5 && r.All(x => x.State != "running"),
            TimeSpan.FromSeconds(30),
            "every task stopped by the drain of the only node");
        Assert.All(drained, r => Assert.Equal(1, r.Release));
        Assert.Empty(await WaitForNoContainersAsync(rig.Stack, TimeSpan.FromSeconds(20)));

        var empty = await rig.WaitFrontDoorAsync(a => a.Status == 503, TimeSpan.FromSeconds(10), "the front door answering 503");
        Assert.Contains($"service {rig.Service}", empty.Body, StringComparison.Ordinal);
        Assert.Contains("no replica is ready", empty.Body, StringComparison.Ordinal);
        var nodes = await rig.Server.CliAsync("node", "ls");
        Assert.Contains("drain", nodes.Stdout, StringComparison.Ordinal);

        rig.Step("docker node update --availability active → berth node activate");
        var activate = await rig.Server.CliAsync("node", "activate", node.Hostname);
        Assert.True(activate.ExitCode == 0, activate.ToString());
        Assert.Equal("active", await node.AvailabilityAsync());
        var back = await rig.WaitHealthyAsync(5);
        Assert.Equal(drained.Select(r => r.Id).Order(), back.Select(r => r.Id).Order());
        await rig.WaitFrontDoorAsync(a => a.Status == 200, TimeSpan.FromSeconds(10), "the front door serving again");

        rig.Step("rolling update (update_config: parallelism 2, start-first, monitor 2s, delay 1s) under load");
        var load = new LoadLoop(rig.Port, workers: 2, TimeSpan.FromSeconds(90));
        var update = await rig.DeployAsync("2", replicas: 5);
        var (ok, failed, failures, versions) = await load.StopAsync();
        Assert.True(update.ExitCode == 0, update.ToString());
        Assert.True(failed == 0, $"{failed} of {ok + failed} requests failed during the rolling update: {failures}\nserver output:\n{SwarmLabRig.Tail(rig.Server.Output, 80)}");
        Assert.Contains("2", versions);
        await rig.WaitHealthyAsync(5, release: 2);
        Assert.Equal(5, (await SwarmServicesAsync(rig.Stack)).Count);
        rig.Step($"done: {ok} requests during the update, 0 failed");

        rig.Step("docker stack rm → berth rm: the Swarm services and the stack's network go");
        var rm = await rig.Server.CliAsync("rm", rig.Stack);
        Assert.True(rm.ExitCode == 0, rm.ToString());
        Assert.True(await WaitForStackGoneAsync(rig.Stack, TimeSpan.FromSeconds(60)), "Swarm services or the network of the stack are still there");
        rig.Step("stack removed");
    }

    /// <summary>The stack's running containers, once there are none or the time is up (a drained task stops gracefully).</summary>
    private static async Task<IList<ContainerListResponse>> WaitForNoContainersAsync(string stack, TimeSpan timeout)
    {
        using var docker = DockerEngine.Connect();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var containers = await docker.Containers.ListContainersAsync(new ContainersListParameters
            {
                Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"berth.stack={stack}"] = true } },
            });
            if (containers.Count == 0 || clock.Elapsed > timeout)
            {
                return containers;
            }

            await Task.Delay(200);
        }
    }

    /// <summary>True once no Swarm service and no network carries the stack's label (bounded).</summary>
    private static async Task<bool> WaitForStackGoneAsync(string stack, TimeSpan timeout)
    {
        using var docker = DockerEngine.Connect();
        var label = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"berth.stack={stack}"] = true } };
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if ((await docker.Swarm.ListServicesAsync(new ServiceListParameters { Filters = label })).Count == 0
                && (await docker.Networks.ListNetworksAsync(new NetworksListParameters { Filters = label })).Count == 0)
            {
                return true;
            }

            await Task.Delay(250);
        }

        return false;
    }

    private static async Task<IList<SwarmService>> SwarmServicesAsync(string stack) => await new SwarmStackCleanup(stack).ServicesAsync();
}
