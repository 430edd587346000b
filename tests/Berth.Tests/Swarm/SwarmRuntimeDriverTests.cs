using Berth.Api;
using Berth.Runtimes;
using Berth.Spec;
using Berth.Tests.Infrastructure;
using Docker.DotNet.Models;

namespace Berth.Tests.Swarm;

/// <summary>The Swarm driver against the real engine: one Swarm service per replica, endpoints from task ports.</summary>
[Collection(SwarmCollection.Name)]
public sealed class SwarmRuntimeDriverTests
{
    [DockerFact]
    public async Task Swarm_StartAsync_ServiceRunsAndAnswersOnLoopback_StopRemovesIt()
    {
        await using var stack = new SwarmTestStack();
        var launch = stack.Launch();
        launch = launch with
        {
            Spec = launch.Spec! with { Secrets = [new Berth.Spec.ServiceSecretSpec { Source = "api_key", Target = "key" }] },
            SecretContents = new Dictionary<string, byte[]> { ["api_key"] = "s3cret"u8.ToArray() },
        };

        var started = await stack.Driver.StartAsync(launch, CancellationToken.None);
        Assert.Equal(ReplicaRunState.Starting, started.State);

        var ready = await stack.WaitForAsync(stack.Driver, launch.ReplicaId, SwarmTestStack.IsReady, "the replica to be ready");
        Assert.Equal(ReplicaHealth.Healthy, ready.Health);
        Assert.StartsWith("127.0.0.1:", ready.Endpoint, StringComparison.Ordinal);
        using var http = new HttpClient();
        var info = await http.GetStringAsync($"http://{ready.Endpoint}/api/info");
        Assert.Contains("\"version\":\"1\"", info, StringComparison.Ordinal);

        var logs = new List<string>();
        await foreach (var line in stack.Driver.ReadLogsAsync(launch.ReplicaId, 50, follow: false, CancellationToken.None))
        {
            logs.Add(line.Text);
        }

        Assert.Contains(logs, l => l.Contains("listening on", StringComparison.Ordinal));

        var service = Assert.Single(await stack.ServicesAsync());
        var labels = service.Spec!.Labels!;
        Assert.Equal(launch.ReplicaId, labels["berth.replica"]);
        Assert.Equal(stack.Service, labels["berth.service"]);
        Assert.Equal("1", labels["berth.slot"]);
        Assert.Equal("host", Assert.Single(service.Spec.EndpointSpec!.Ports!).PublishMode);
        var secret = Assert.Single(service.Spec.TaskTemplate!.ContainerSpec!.Secrets!);
        Assert.Equal(Berth.Runtimes.Swarm.SwarmNames.SecretOf(stack.Stack, "api_key", "s3cret"u8.ToArray()), secret.SecretName);
        Assert.Equal("key", secret.File!.Name);

        await stack.Driver.StopAsync(launch.ReplicaId, launch.StopGracePeriod, CancellationToken.None);
        Assert.Empty(await stack.ServicesAsync());
        Assert.Equal(ReplicaRunState.Exited, stack.Driver.Observe().Single(o => o.ReplicaId == launch.ReplicaId).State);
    }

    [DockerFact]
    public async Task Swarm_ContainerStoppedByHand_SwarmReplacesTask_ReplicaChangedWithNewEndpoint()
    {
        await using var stack = new SwarmTestStack();
        var launch = stack.Launch();
        var changes = new List<ReplicaObservation>();
        stack.Driver.ReplicaChanged += o =>
        {
            lock (changes)
            {
                changes.Add(o);
            }
        };
        await stack.Driver.StartAsync(launch, CancellationToken.None);
        var first = await stack.WaitForAsync(stack.Driver, launch.ReplicaId, SwarmTestStack.IsReady, "the replica to be ready");

        using var docker = DockerEngine.Connect();
        var container = Assert.Single(await docker.Containers.ListContainersAsync(new ContainersListParameters
        {
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"berth.replica={launch.ReplicaId}"] = true } },
        }));
        await docker.Containers.StopContainerAsync(container.ID, new ContainerStopParameters { WaitBeforeKillSeconds = 5 });

        await stack.WaitForAsync(stack.Driver, launch.ReplicaId, o => !SwarmTestStack.IsReady(o), "the replica to leave the ready state");
        var replaced = await stack.WaitForAsync(stack.Driver, launch.ReplicaId, o => SwarmTestStack.IsReady(o) && o.Endpoint != first.Endpoint, "a replacement task on a new port");
        using var http = new HttpClient();
        Assert.Equal("ok", await http.GetStringAsync($"http://{replaced.Endpoint}/healthz"));
        lock (changes)
        {
            Assert.Contains(changes, c => c.Endpoint == replaced.Endpoint && c.State == ReplicaRunState.Running);
        }

        // `berth replica kill`: SIGKILL to the task's container; Swarm's restart policy brings a new one.
        await stack.Driver.KillAsync(launch.ReplicaId, CancellationToken.None);
        await stack.WaitForAsync(stack.Driver, launch.ReplicaId, o => SwarmTestStack.IsReady(o) && o.Endpoint != replaced.Endpoint, "a new task after the kill");
    }

    [DockerFact]
    public async Task Swarm_EventsAlone_DriveTheWatcher_ReadyKilledAndReplacedSeenWithNoPollOrResync()
    {
        // A poll and a resync of ten minutes: within this test only the Engine API's events can wake the watcher.
        await using var stack = new SwarmTestStack();
        var driver = stack.NewDriver(pollInterval: TimeSpan.FromMinutes(10), resyncInterval: TimeSpan.FromMinutes(10));
        var launch = stack.Launch();

        await driver.StartAsync(launch, CancellationToken.None);
        var first = await stack.WaitForAsync(driver, launch.ReplicaId, SwarmTestStack.IsReady, "the replica to be ready (container start and health events)");
        Assert.True(driver.EventsLive);

        await driver.KillAsync(launch.ReplicaId, CancellationToken.None);
        await stack.WaitForAsync(driver, launch.ReplicaId, o => !SwarmTestStack.IsReady(o) || o.Endpoint != first.Endpoint, "the kill seen (die event)", TimeSpan.FromSeconds(20));
        var replaced = await stack.WaitForAsync(driver, launch.ReplicaId, o => SwarmTestStack.IsReady(o) && o.Endpoint != first.Endpoint, "the replacement task ready (its container's events)");
        using var http = new HttpClient();
        Assert.Equal("ok", await http.GetStringAsync($"http://{replaced.Endpoint}/healthz"));

        await driver.StopAsync(launch.ReplicaId, TimeSpan.FromSeconds(5), CancellationToken.None);
    }

    [DockerFact]
    public async Task Swarm_ReadyLocalReplica_ProbedWithoutListingTasksAgain_HealthcheckExecsWakeNothing()
    {
        // Every request the driver makes goes through a counting front; no poll or resync within the test.
        await using var front = CountingEngineFront.Start();
        await using var stack = new SwarmTestStack();
        var driver = stack.NewDriver(pollInterval: TimeSpan.FromMinutes(10), resyncInterval: TimeSpan.FromMinutes(10), endpoint: front.DockerHost);
        var launch = stack.Launch();
        launch = launch with { Health = launch.Health with { Interval = TimeSpan.FromMilliseconds(200) } };
        await driver.StartAsync(launch, CancellationToken.None);
        await stack.WaitForAsync(driver, launch.ReplicaId, SwarmTestStack.IsReady, "the replica to be ready");

        // Ten of Berth's probes (every 200 ms) and two of the container's own healthchecks (each three exec events).
        var listedBefore = front.CountOf("/tasks");
        var window = System.Diagnostics.Stopwatch.StartNew();
        while (window.Elapsed < TimeSpan.FromSeconds(2))
        {
            Assert.True(SwarmTestStack.IsReady(driver.Observe().Single(o => o.ReplicaId == launch.ReplicaId)), "the replica left the ready state");
            await Task.Delay(100);
        }

        var listed = front.CountOf("/tasks") - listedBefore;
        Assert.True(listed == 0, $"the driver listed tasks {listed} times in 2 s for a ready replica on its own node: {string.Join(", ", front.Requests().TakeLast(8))}");
        await driver.StopAsync(launch.ReplicaId, TimeSpan.FromSeconds(5), CancellationToken.None);
    }

    [DockerFact]
    public async Task Swarm_RetireAsync_ReturnsOnceTheServiceIsRemoved_SwarmStopsTheContainerWithinItsGrace()
    {
        await using var stack = new SwarmTestStack();
        await stack.Driver.StartAsync(stack.Launch(slot: 2), CancellationToken.None);

        // A container that ignores SIGTERM: only the SIGKILL at the end of its 5 s grace period stops it. The image has
        // a shell but no sleep: it spins, held to 5 % of a CPU.
        var launch = stack.Launch(slot: 1);
        launch = launch with
        {
            Spec = launch.Spec! with
            {
                Entrypoint = ["sh", "-c", "trap '' TERM; while :; do :; done"],
                Deploy = launch.Spec!.Deploy with { Resources = new ResourcesSpec { Limits = new ResourceAmountSpec { Cpus = 0.05 } } },
                Healthcheck = new HealthcheckSpec { Disabled = true },
                Ports = [],
                StopGracePeriod = TimeSpan.FromSeconds(5),
            },
            Health = new HealthProbe(),
        };
        await stack.Driver.StartAsync(launch, CancellationToken.None);
        await stack.WaitForAsync(stack.Driver, launch.ReplicaId, o => o.State == ReplicaRunState.Running, "the retiring replica to run");
        using var docker = DockerEngine.Connect();
        var container = Assert.Single(await docker.Containers.ListContainersAsync(new ContainersListParameters
        {
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"berth.replica={launch.ReplicaId}"] = true } },
        }));

        await stack.Driver.RetireAsync(launch.ReplicaId, TimeSpan.FromSeconds(5), CancellationToken.None);

        // Returned with its service gone but its container still inside the grace period (StopAsync waits for it).
        Assert.DoesNotContain(await stack.ServicesAsync(), s => s.Spec!.Labels!["berth.replica"] == launch.ReplicaId);
        Assert.True((await docker.Containers.InspectContainerAsync(container.ID)).State!.Running);
        Assert.Equal(ReplicaRunState.Exited, stack.Driver.Observe().Single(o => o.ReplicaId == launch.ReplicaId).State);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30) && (await docker.Containers.ListContainersAsync(new ContainersListParameters { All = false })).Any(c => c.ID == container.ID))
        {
            await Task.Delay(250);
        }

        Assert.DoesNotContain(await docker.Containers.ListContainersAsync(new ContainersListParameters { All = false }), c => c.ID == container.ID);
    }

    [DockerFact]
    public async Task Swarm_ServiceRemovedOutsideBerth_ReplicaExited()
    {
        await using var stack = new SwarmTestStack();
        var launch = stack.Launch();
        await stack.Driver.StartAsync(launch, CancellationToken.None);

        using var docker = DockerEngine.Connect();
        await docker.Swarm.RemoveServiceAsync(Assert.Single(await stack.ServicesAsync()).ID);

        var gone = await stack.WaitForAsync(stack.Driver, launch.ReplicaId, o => o.State == ReplicaRunState.Exited, "the replica to be seen gone");
        Assert.Contains("removed outside Berth", gone.Message, StringComparison.Ordinal);
    }

    [DockerFact]
    public async Task Swarm_AdoptAsync_NewDriverFindsTheServiceByLabel()
    {
        await using var stack = new SwarmTestStack();
        var launch = stack.Launch();
        await stack.Driver.StartAsync(launch, CancellationToken.None);
        var ready = await stack.WaitForAsync(stack.Driver, launch.ReplicaId, SwarmTestStack.IsReady, "the replica to be ready");

        var next = stack.NewDriver();
        var adopted = await next.AdoptAsync(new ReplicaHandle(launch.ReplicaId, null, null, ready.Port, null), launch, CancellationToken.None);
        Assert.NotNull(adopted);
        var seen = await stack.WaitForAsync(next, launch.ReplicaId, SwarmTestStack.IsReady, "the adopted replica to be ready");
        Assert.Equal(ready.Endpoint, seen.Endpoint);

        var unknown = await next.AdoptAsync(new ReplicaHandle(stack.Service + ".9.deadbeef", null, null, null, null), stack.Launch(slot: 9), CancellationToken.None);
        Assert.Null(unknown);
    }

    [DockerFact]
    public async Task Swarm_AdoptAsync_ReplicaRecordedHealthy_StaysHealthyAtItsEndpointThroughTheFirstLook()
    {
        await using var stack = new SwarmTestStack();
        var launch = stack.Launch();
        await stack.Driver.StartAsync(launch, CancellationToken.None);
        var ready = await stack.WaitForAsync(stack.Driver, launch.ReplicaId, SwarmTestStack.IsReady, "the replica to be ready");

        var next = stack.NewDriver();
        var changes = new List<ReplicaObservation>();
        next.ReplicaChanged += o =>
        {
            lock (changes)
            {
                changes.Add(o);
            }
        };
        var handle = new ReplicaHandle(launch.ReplicaId, null, null, ready.Port, null) { LastHealth = ReplicaHealth.Healthy, LastEndpoint = ready.Endpoint };
        var adopted = await next.AdoptAsync(handle, launch, CancellationToken.None);

        // A restarted server must not take a healthy replica out of its router's pool while it looks again.
        Assert.NotNull(adopted);
        Assert.Equal((ReplicaRunState.Running, ReplicaHealth.Healthy, ready.Endpoint), (adopted.State, adopted.Health, adopted.Endpoint));
        await next.PollAsync(CancellationToken.None);
        var looked = next.Observe().Single(o => o.ReplicaId == launch.ReplicaId);
        Assert.Equal((ReplicaRunState.Running, ReplicaHealth.Healthy, ready.Endpoint), (looked.State, looked.Health, looked.Endpoint));
        lock (changes)
        {
            Assert.DoesNotContain(changes, o => o.Health != ReplicaHealth.Healthy);
        }
    }

    [DockerFact]
    public async Task Swarm_ImageMissing_ReplicaExitsWithTheEnginesMessage()
    {
        await using var stack = new SwarmTestStack();
        var launch = stack.Launch(image: "berth-no-such-image:never");

        await stack.Driver.StartAsync(launch, CancellationToken.None);

        var failed = await stack.WaitForAsync(stack.Driver, launch.ReplicaId, o => o.State == ReplicaRunState.Exited, "the replica to fail", TimeSpan.FromSeconds(60));
        Assert.Contains("berth-no-such-image", failed.Message, StringComparison.Ordinal);
        stack.Driver.Forget(launch.ReplicaId);
    }

    [DockerFact]
    public async Task Swarm_NoImage_StartFailsNamingTheService()
    {
        await using var stack = new SwarmTestStack();
        var launch = stack.Launch();
        launch = launch with { Spec = launch.Spec! with { Image = null } };

        var failed = await stack.Driver.StartAsync(launch, CancellationToken.None);

        Assert.Equal(ReplicaRunState.Exited, failed.State);
        Assert.Contains(stack.Service, failed.Message, StringComparison.Ordinal);
        Assert.Empty(await stack.ServicesAsync());
    }

    [DockerFact]
    public async Task Swarm_NodeDrainAndActivate_SingleNodeReplicaStopsThenComesBack()
    {
        await using var stack = new SwarmTestStack();
        var node = Assert.Single(await stack.Driver.ListNodesAsync(CancellationToken.None), n => n.IsLocal);
        Assert.Equal("manager", node.Role);
        Assert.Equal("ready", node.State);
        var launch = stack.Launch();
        await stack.Driver.StartAsync(launch, CancellationToken.None);
        await stack.WaitForAsync(stack.Driver, launch.ReplicaId, SwarmTestStack.IsReady, "the replica to be ready");
        Assert.Equal(1, (await stack.Driver.ListNodesAsync(CancellationToken.None)).Single(n => n.IsLocal).Replicas);

        try
        {
            await stack.Driver.SetNodeAvailabilityAsync(node.Hostname, NodeAvailabilities.Drain, CancellationToken.None);
            Assert.Equal("drain", (await stack.Driver.ListNodesAsync(CancellationToken.None)).Single(n => n.IsLocal).Availability);
            var drained = await stack.WaitForAsync(stack.Driver, launch.ReplicaId, o => o.State == ReplicaRunState.Starting, "the replica to stop on the drained node");
            Assert.Null(drained.Endpoint);
        }
        finally
        {
            await stack.Driver.SetNodeAvailabilityAsync(node.Id, NodeAvailabilities.Active, CancellationToken.None);
        }

        await stack.WaitForAsync(stack.Driver, launch.ReplicaId, SwarmTestStack.IsReady, "the replica back on the active node");
        var unknown = await Assert.ThrowsAsync<RuntimeRefusedException>(() => stack.Driver.SetNodeAvailabilityAsync("no-such-node", NodeAvailabilities.Drain, CancellationToken.None));
        Assert.Contains(node.Hostname, unknown.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<RuntimeRefusedException>(() => stack.Driver.SetNodeAvailabilityAsync(node.Id, "asleep", CancellationToken.None));
    }
}
