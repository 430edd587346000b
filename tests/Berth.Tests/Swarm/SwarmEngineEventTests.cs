using Berth.Runtimes.Swarm;
using Berth.Tests.Infrastructure;
using Docker.DotNet.Models;

namespace Berth.Tests.Swarm;

/// <summary>Which Engine API events wake the Swarm watcher, and that the engine's own filter sends only those.</summary>
[Collection(SwarmCollection.Name)]
public sealed class SwarmEngineEventTests
{
    private static Message Container(string action, string? serviceId = "svc1") => new()
    {
        Type = "container",
        Action = action,
        Actor = new Actor
        {
            ID = "c1",
            Attributes = serviceId is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["com.docker.swarm.service.id"] = serviceId },
        },
    };

    [Theory]
    [InlineData("start")]
    [InlineData("die")]
    [InlineData("oom")]
    [InlineData("destroy")]
    [InlineData("pause")]
    [InlineData("unpause")]
    [InlineData("health_status: healthy")]
    [InlineData("health_status: unhealthy")]
    public void Read_TaskContainerChangesState_NamesItsService(string action) =>
        Assert.Equal(new SwarmEngineEvent(false, "svc1", FromContainer: true), SwarmEngineEvent.Read(Container(action)));

    [Theory]
    [InlineData("exec_create: curl -fsS http://127.0.0.1:8080/healthz")]
    [InlineData("exec_start: curl -fsS http://127.0.0.1:8080/healthz")]
    [InlineData("exec_die")]
    [InlineData("attach")]
    [InlineData("resize")]
    [InlineData("top")]
    [InlineData("create")]
    public void Read_ContainerEventThatChangesNoTask_Ignored(string action) =>
        Assert.Equal(SwarmEngineEvent.None, SwarmEngineEvent.Read(Container(action)));

    [Fact]
    public void Read_ContainerOfNoSwarmService_Ignored() =>
        Assert.Equal(SwarmEngineEvent.None, SwarmEngineEvent.Read(Container("die", serviceId: null)));

    [Fact]
    public void Read_ServiceAndNodeEvents_NameTheServiceOrTheNodes()
    {
        Assert.Equal(new SwarmEngineEvent(false, "svc9"), SwarmEngineEvent.Read(new Message { Type = "service", Action = "update", Actor = new Actor { ID = "svc9" } }));
        Assert.Equal(new SwarmEngineEvent(true, null), SwarmEngineEvent.Read(new Message { Type = "node", Action = "update", Actor = new Actor { ID = "n1" } }));
        Assert.Equal(SwarmEngineEvent.None, SwarmEngineEvent.Read(new Message { Type = "network", Action = "connect", Actor = new Actor { ID = "net1" } }));
    }

    /// <summary>
    /// A container checked every 200 ms: unfiltered, the engine sends exec_create, exec_start and exec_die for every
    /// check; through the watcher's stream filter only its start and its health turning healthy arrive.
    /// </summary>
    [DockerFact]
    public async Task StreamParameters_HealthcheckedContainer_EngineSendsStateChangesNotHealthcheckExecs()
    {
        using var docker = DockerEngine.Connect();
        var name = "berth-events-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(3));
        var parameters = SwarmEngineEvent.StreamParameters();
        parameters.Filters!["container"] = new Dictionary<string, bool> { [name] = true };
        var actions = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var healthy = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var stream = docker.System.MonitorEventsAsync(parameters, new Sink(action =>
        {
            actions.Enqueue(action);
            if (action.StartsWith("health_status: healthy", StringComparison.Ordinal))
            {
                healthy.TrySetResult();
            }
        }), stop.Token);

        var created = await docker.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Name = name,
            Image = ArticlesImage.Tag,
            Healthcheck = new HealthcheckConfig { Test = ["CMD-SHELL", "true"], Interval = TimeSpan.FromMilliseconds(200), Timeout = TimeSpan.FromSeconds(5) },
        });
        try
        {
            await docker.Containers.StartContainerAsync(created.ID, new ContainerStartParameters());
            await healthy.Task.WaitAsync(stop.Token);

            // At least five more checks, each of which would have sent three exec events unfiltered.
            var checks = await WaitForChecksAsync(docker, created.ID, 6, stop.Token);
            Assert.True(checks >= 6, $"the healthcheck ran {checks} times");
        }
        finally
        {
            await docker.Containers.RemoveContainerAsync(created.ID, new ContainerRemoveParameters { Force = true });
        }

        await stop.CancelAsync();
        await Task.WhenAny(stream);
        Assert.DoesNotContain(actions, a => a.StartsWith("exec_", StringComparison.Ordinal));
        Assert.Contains("start", actions);
        Assert.Contains(actions, a => a.StartsWith("health_status: healthy", StringComparison.Ordinal));
    }

    /// <summary>The number of checks the engine ran so far, once at least <paramref name="atLeast"/> (its log keeps the last five; the streak counts on).</summary>
    private static async Task<int> WaitForChecksAsync(Docker.DotNet.DockerClient docker, string id, int atLeast, CancellationToken cancellationToken)
    {
        var seen = new HashSet<DateTime>();
        while (true)
        {
            var inspect = await docker.Containers.InspectContainerAsync(id, cancellationToken);
            foreach (var check in inspect.State?.Health?.Log ?? [])
            {
                seen.Add(check.Start);
            }

            if (seen.Count >= atLeast)
            {
                return seen.Count;
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    private sealed class Sink(Action<string> onAction) : IProgress<Message>
    {
        public void Report(Message value) => onAction(value.Action ?? "");
    }
}
