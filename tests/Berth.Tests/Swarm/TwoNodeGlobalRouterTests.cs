using System.Diagnostics;
using System.Net.Http.Json;
using Berth.Api;
using Berth.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Berth.Tests.Swarm;

/// <summary>
/// `--routers global` on the real two-node Swarm (scripts/swarm-two-nodes.sh): the server on the host's bridge address
/// (10.213.0.1), a router task on each node's host network; the stack's published port answers on both nodes'
/// addresses, each node's router reaching the replicas of both nodes; draining the worker loses no request sent to
/// the manager's router.
/// </summary>
[Collection(TwoNodeSwarmCollection.Name)]
public sealed class TwoNodeGlobalRouterTests(ITestOutputHelper output)
{
    private const string Stack = "globaltwo";
    private static readonly string[] NodeAddresses = ["10.213.0.2", "10.213.0.3"];
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    [TwoNodeSwarmFact]
    public async Task RoutersGlobal_EveryNodesPortAnswers_ReachingReplicasOnBothNodes_DrainLosesNoRequest()
    {
        Step("router image; scripts/swarm-two-nodes.sh up with it and the app's image");
        await RouterImage.EnsureAsync();
        await using var swarm = await TwoNodeSwarm.UpAsync(ArticlesImage.Tag, RouterImage.Tag);
        await using var routers = new GlobalRouterCleanup(swarm.Connect);
        await using var server = await BerthServerProcess.StartAsync(
            new Dictionary<string, string> { ["DOCKER_HOST"] = swarm.DockerHost.ToString() },
            "--runtime", "swarm", "--routers", "global", "--router-image", RouterImage.Tag, "--listen", "10.213.0.1:0", "--insecure");
        using var dir = new TempDirectory("berth-global-routers");
        var compose = new SwarmLabCompose(dir, LoopbackPort.Free(), HostIp: "0.0.0.0");

        Step("a router on each node follows the server");
        var live = await WaitRoutersAsync(server, 2);
        Assert.Equal([TwoNodeSwarm.Manager, TwoNodeSwarm.Worker], live.Select(r => r.Node).Order());

        Step("berth deploy: 4 replicas over both nodes");
        var deploy = await CliAsync(server, "deploy", "-c", compose.Write("1", replicas: 4), Stack);
        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        var replicas = await server.WaitForReplicasAsync(
            Stack, r => r.Count(x => x.State == "running" && x.Health == "healthy") == 4, TimeSpan.FromSeconds(150), "4 healthy replicas");
        Assert.Contains(replicas, r => r.Endpoint?.StartsWith("10.213.0.2:", StringComparison.Ordinal) == true);
        Assert.Contains(replicas, r => r.Endpoint?.StartsWith("10.213.0.3:", StringComparison.Ordinal) == true);

        foreach (var node in NodeAddresses)
        {
            Step($"the published port on {node} reaches every replica, on both nodes");
            Assert.Equal(replicas.Select(r => r.Id).Order(), (await TwoNodeSwarm.ServedByAsync(server.Http, node, compose.Port, replicas.Count)).Order());
        }

        Step("load on the manager's port, then berth node drain berth-n2");
        var load = new LoadLoop(new Uri($"http://{NodeAddresses[0]}:{compose.Port}/"), workers: 4, TimeSpan.FromMinutes(3));
        await Task.Delay(TimeSpan.FromSeconds(2));
        var drain = await CliAsync(server, "node", "drain", TwoNodeSwarm.Worker);
        Assert.True(drain.ExitCode == 0, drain.ToString());
        await server.WaitForReplicasAsync(
            Stack,
            r => r.Count(x => x.State == "running" && x.Health == "healthy" && x.Endpoint?.StartsWith("10.213.0.2:", StringComparison.Ordinal) == true) == 4,
            TimeSpan.FromSeconds(150),
            "4 healthy replicas on berth-n1");
        await Task.Delay(TimeSpan.FromSeconds(2));
        var (ok, failed, failures, _) = await load.StopAsync();
        Step($"{ok} requests during the drain, {failed} failed");
        Assert.True(failed == 0, $"{failed} of {ok + failed} requests failed during the drain: {failures}\nserver output:\n{SwarmLabRig.Tail(server.Output, 80)}");
        Assert.True(ok > 0, "no request went through during the drain");
        Assert.Equal(200, (await TwoNodeSwarm.GetAsync(server.Http, NodeAddresses[0], compose.Port)).Status);

        var activate = await CliAsync(server, "node", "activate", TwoNodeSwarm.Worker);
        Assert.True(activate.ExitCode == 0, activate.ToString());
        Step("done; scripts/swarm-two-nodes.sh down follows");
    }

    /// <summary>The CLI against the server's non-loopback address: with its admin token (the local one is used on loopback only).</summary>
    private static Task<CliRun.Result> CliAsync(BerthServerProcess server, params string[] args) =>
        server.CliAsync(new Dictionary<string, string> { ["BERTH_TOKEN"] = server.AdminToken }, args);

    private void Step(string what) => output.WriteLine($"{_clock.Elapsed.TotalSeconds,6:F1}s {what}");

    private static async Task<IReadOnlyList<RouterInfo>> WaitRoutersAsync(BerthServerProcess server, int count)
    {
        var clock = Stopwatch.StartNew();
        List<RouterInfo> live = [];
        while (clock.Elapsed < TimeSpan.FromSeconds(90))
        {
            live = (await server.Http.GetFromJsonAsync<List<RouterInfo>>(ApiRoutes.Routers, ApiJson.Options) ?? [])
                .Where(r => r.State == "live" && r.Node.Length > 0).ToList();
            if (live.Count == count)
            {
                return live;
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"{count} live routers not seen in 90 s: {string.Join("; ", live)}\nserver output:\n{SwarmLabRig.Tail(server.Output, 60)}");
    }
}
