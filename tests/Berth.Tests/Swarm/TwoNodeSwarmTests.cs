using System.Diagnostics;
using System.Net.Http.Json;
using Berth.Api;
using Berth.Tests.Infrastructure;
using Docker.DotNet.Models;
using Xunit.Abstractions;

namespace Berth.Tests.Swarm;

/// <summary>
/// Berth on a real two-node Swarm (scripts/swarm-two-nodes.sh: a manager and a worker, each a dockerd in its own network
/// namespace): the lab's 4 replicas spread over both nodes, the router on 127.0.0.1 reaches each task at its node's
/// address, and `berth node drain` of the worker moves its tasks to the manager with no failed request.
/// </summary>
[Collection(TwoNodeSwarmCollection.Name)]
public sealed class TwoNodeSwarmTests(ITestOutputHelper output)
{
    private const string Stack = "twonode";
    private const string Service = Stack + "_app";
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    [TwoNodeSwarmFact]
    public async Task TwoNodes_DrainWorker_TasksMoveToManager_NoFailedRequest()
    {
        Step("scripts/swarm-two-nodes.sh up");
        await using var swarm = await TwoNodeSwarm.UpAsync(ArticlesImage.Tag);
        await using var server = await BerthServerProcess.StartAsync(
            new Dictionary<string, string> { ["DOCKER_HOST"] = swarm.DockerHost.ToString() }, "--runtime", "swarm");
        using var dir = new TempDirectory("berth-two-nodes");
        var compose = new SwarmLabCompose(dir, LoopbackPort.Free());
        var nodeIds = await NodeIdsAsync(swarm);

        Step("berth deploy: 4 replicas");
        var deploy = await server.CliAsync("deploy", "-c", compose.Write("1", replicas: 4), Stack);
        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        var replicas = await WaitHealthyAsync(server, 4);

        Step("tasks on both nodes, reached at their node's address");
        var tasks = await RunningTasksAsync(swarm);
        Assert.Equal(4, tasks.Count);
        Assert.Contains(tasks, t => t.NodeID == nodeIds[TwoNodeSwarm.Manager]);
        Assert.Contains(tasks, t => t.NodeID == nodeIds[TwoNodeSwarm.Worker]);
        Assert.All(replicas, r => Assert.Matches(@"^10\.213\.0\.[23]:\d+$", r.Endpoint ?? ""));
        var nodes = await NodesAsync(server);
        Assert.All(nodes, n => Assert.True(n.Replicas > 0, $"no replica on {n.Hostname}: {string.Join(", ", nodes)}"));
        Assert.Equal(4, nodes.Sum(n => n.Replicas));
        var ls = await server.CliAsync("node", "ls");
        Assert.True(ls.ExitCode == 0, ls.ToString());
        Assert.Contains(TwoNodeSwarm.Worker, ls.Stdout, StringComparison.Ordinal);
        Step($"replicas per node: {string.Join(", ", nodes.Select(n => $"{n.Hostname}={n.Replicas}"))}");

        Step("every replica answers through the front door on 127.0.0.1");
        Assert.Equal(replicas.Select(r => r.Id).Order(), (await TwoNodeSwarm.ServedByAsync(server.Http, "127.0.0.1", compose.Port, replicas.Count)).Order());

        Step("load through the front door, then berth node drain berth-n2");
        var load = new LoadLoop(compose.Port, workers: 4, TimeSpan.FromMinutes(3));
        await Task.Delay(TimeSpan.FromSeconds(2));
        var drain = await server.CliAsync("node", "drain", TwoNodeSwarm.Worker);
        Assert.True(drain.ExitCode == 0, drain.ToString());
        var moved = await WaitHealthyAsync(
            server,
            4,
            r => r.All(x => x.Endpoint?.StartsWith("10.213.0.2:", StringComparison.Ordinal) == true));
        await Task.Delay(TimeSpan.FromSeconds(2));
        var (ok, failed, failures, _) = await load.StopAsync();
        Step($"{ok} requests during the drain, {failed} failed");
        Assert.True(failed == 0, $"{failed} of {ok + failed} requests failed during the drain: {failures}\nserver output:\n{SwarmLabRig.Tail(server.Output, 80)}");
        Assert.True(ok > 0, "no request went through during the drain");
        Assert.Equal(replicas.Select(r => r.Id).Order(), moved.Select(r => r.Id).Order());
        Assert.All(await RunningTasksAsync(swarm), t => Assert.Equal(nodeIds[TwoNodeSwarm.Manager], t.NodeID));
        var drained = await NodesAsync(server);
        Assert.Equal("drain", drained.Single(n => n.Hostname == TwoNodeSwarm.Worker).Availability);
        Assert.Equal(0, drained.Single(n => n.Hostname == TwoNodeSwarm.Worker).Replicas);
        Assert.Equal(4, drained.Single(n => n.Hostname == TwoNodeSwarm.Manager).Replicas);

        Step("berth node activate berth-n2");
        var activate = await server.CliAsync("node", "activate", TwoNodeSwarm.Worker);
        Assert.True(activate.ExitCode == 0, activate.ToString());
        Assert.Equal("active", (await NodesAsync(server)).Single(n => n.Hostname == TwoNodeSwarm.Worker).Availability);
        Assert.Equal(200, (await TwoNodeSwarm.GetAsync(server.Http, "127.0.0.1", compose.Port)).Status);
        Step("done; scripts/swarm-two-nodes.sh down follows");
    }

    private void Step(string what) => output.WriteLine($"{_clock.Elapsed.TotalSeconds,6:F1}s {what}");

    private static Task<IReadOnlyList<ReplicaInfo>> WaitHealthyAsync(
        BerthServerProcess server, int count, Func<IReadOnlyList<ReplicaInfo>, bool>? also = null) =>
        server.WaitForReplicasAsync(
            Stack,
            r => r.Count(x => x.State == "running" && x.Health == "healthy") == count
                 && r.Count(x => x.DesiredState == "running") == count
                 && (also is null || also(r)),
            TimeSpan.FromSeconds(150),
            $"{count} healthy replicas{(also is null ? "" : " on berth-n1")}");

    private static async Task<IReadOnlyList<NodeInfo>> NodesAsync(BerthServerProcess server) =>
        await server.Http.GetFromJsonAsync<List<NodeInfo>>(ApiRoutes.Nodes, ApiJson.Options) ?? [];

    /// <summary>Hostname → node id, from the manager's engine.</summary>
    private static async Task<IReadOnlyDictionary<string, string>> NodeIdsAsync(TwoNodeSwarm swarm)
    {
        using var docker = swarm.Connect();
        return (await docker.Swarm.ListNodesAsync()).ToDictionary(n => n.Description?.Hostname ?? n.ID, n => n.ID, StringComparer.Ordinal);
    }

    /// <summary>The stack's tasks that Swarm wants running and that run, from the manager's engine.</summary>
    private static async Task<IReadOnlyList<TaskResponse>> RunningTasksAsync(TwoNodeSwarm swarm)
    {
        using var docker = swarm.Connect();
        var tasks = await docker.Tasks.ListAsync(new TasksListParameters
        {
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["label"] = new Dictionary<string, bool> { [$"berth.stack={Stack}"] = true },
                ["desired-state"] = new Dictionary<string, bool> { ["running"] = true },
            },
        });
        return tasks.Where(t => t.Status?.State == TaskState.Running).ToList();
    }
}

/// <summary>The two-node Swarm test builds namespaces and two dockerds: it runs alone, after the parallel tests.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TwoNodeSwarmCollection : ICollectionFixture<ArticlesImage>
{
    public const string Name = "TwoNodeSwarm";
}
