// Docker.DotNet models are nullable throughout; these assertions fail loudly on a null anyway.
#nullable disable warnings
using System.Net.Http.Json;
using Berth.Api;
using Berth.Runtimes.Swarm;
using Berth.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Berth.Tests.Swarm;

/// <summary>
/// `berth server --runtime swarm --routers global` on this machine's one-node Swarm: no router process beside the
/// server; a Swarm service in global mode runs the router image on the node's host network, follows the server, and
/// serves the stack's published port; it keeps serving once the server is gone.
/// </summary>
[Collection(SwarmCollection.Name)]
public sealed class GlobalRouterTests(ITestOutputHelper output)
{
    [DockerFact]
    public async Task RoutersGlobal_ARouterTaskOnTheNodeFollowsTheServer_ServesEveryReplica_AndOutlivesTheServer()
    {
        await RouterImage.EnsureAsync();
        await using var routers = new GlobalRouterCleanup();
        await using var rig = await SwarmLabRig.StartAsync(output, "glob", null, "--routers", "global", "--router-image", RouterImage.Tag);

        rig.Step("the server makes the routers' service: global, host network, the router image");
        var service = await WaitAsync(async () => (await routers.ServicesAsync()).SingleOrDefault(), s => s is not null, TimeSpan.FromSeconds(30), "the routers' Swarm service");
        Assert.NotNull(service!.Spec.Mode.Global);
        Assert.Equal(RouterImage.Tag, service.Spec.TaskTemplate.ContainerSpec.Image.Split('@')[0]);
        Assert.Null(rig.Server.RouterPid);

        rig.Step("its task follows the server: berth router ls shows the node's router, live");
        var router = await WaitAsync(
            async () => (await rig.Server.Http.GetFromJsonAsync<List<RouterInfo>>(ApiRoutes.Routers, ApiJson.Options))!,
            list => list.Any(r => r.State == "live" && r.Node.Length > 0),
            TimeSpan.FromSeconds(60),
            "a live router");
        var live = Assert.Single(router);
        Assert.NotEqual("local", live.Id);
        Assert.Equal(live.Id, live.Node);
        Assert.Contains(await rig.Server.EventsAsync(), e => e.Kind == "router.service_created" && e.Message.Contains(service.Spec.Name, StringComparison.Ordinal));

        rig.Step("deploy 2 replicas: the node's router serves both on the published port");
        var deploy = await rig.DeployAsync("1", replicas: 2);
        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        var replicas = await rig.WaitHealthyAsync(2);

        // Routers on other nodes route to this node's tasks too: they are reached at the node's address, not 127.0.0.1.
        Assert.All(replicas, r => Assert.DoesNotMatch(@"^127\.", r.Endpoint ?? ""));
        var servedBy = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 40 && servedBy.Count < 2; i++)
        {
            var answer = await rig.WaitFrontDoorAsync(a => a.Status == 200, TimeSpan.FromSeconds(30), "the front door answers");
            servedBy.Add((answer.ServedBy ?? "").Split("replica=")[^1]);
        }

        Assert.Equal(replicas.Select(r => r.Id).Order(), servedBy.Order());

        rig.Step("kill -9 of the server under load: the router keeps serving, no request fails");
        var load = new LoadLoop(rig.Port, workers: 4, TimeSpan.FromMinutes(1));
        await Task.Delay(TimeSpan.FromSeconds(1));
        await rig.Server.KillHardAsync();
        await Task.Delay(TimeSpan.FromSeconds(2));
        var (ok, failed, failures, _) = await load.StopAsync();
        Assert.True(failed == 0, $"{failed} of {ok + failed} requests failed while the server was killed: {failures}");
        Assert.True(ok > 0, "no request went through");
        Assert.Equal(200, (await rig.GetAsync()).Status);
    }

    [DockerFact]
    public async Task RoutersGlobal_ImageNoNodeHas_AnEventNamesTheNodeAndHowToGetTheImageThere()
    {
        await using var routers = new GlobalRouterCleanup();
        await using var rig = await SwarmLabRig.StartAsync(output, "globnoimg", null, "--routers", "global", "--router-image", "berth-router:not-built-anywhere");

        var failed = await WaitAsync(
            async () => (await rig.Server.EventsAsync()).FirstOrDefault(e => e.Kind == "router.task_failed"),
            e => e is not null,
            TimeSpan.FromSeconds(60),
            "a router.task_failed event");

        Assert.Contains($"on node {Environment.MachineName}", failed!.Message, StringComparison.Ordinal);
        Assert.Contains("every node needs the image berth-router:not-built-anywhere (scripts/router-image.sh", failed.Message, StringComparison.Ordinal);
        Assert.Empty(await rig.Server.Http.GetFromJsonAsync<List<RouterInfo>>(ApiRoutes.Routers, ApiJson.Options) ?? []);
    }

    private static async Task<T> WaitAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan timeout, string what)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        T last = await read();
        while (!done(last))
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"{what}: not reached in {timeout}; last: {last}");
            }

            await Task.Delay(250);
            last = await read();
        }

        return last;
    }
}
