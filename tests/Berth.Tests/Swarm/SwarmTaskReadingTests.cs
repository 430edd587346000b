using Berth.Runtimes.Swarm;
using Docker.DotNet.Models;

namespace Berth.Tests.Swarm;

/// <summary>How a replica's Swarm tasks read as one state, without an engine.</summary>
public sealed class SwarmTaskReadingTests
{
    private static readonly DateTime T0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static TaskResponse Task(string id, int age, TaskState desired, TaskState state, string node = "n1", uint? port = null, string? err = null, long exit = 0) => new()
    {
        ID = id,
        NodeID = node,
        CreatedAt = T0.AddSeconds(-age),
        DesiredState = desired,
        Status = new Docker.DotNet.Models.TaskStatus
        {
            State = state,
            Err = err,
            ContainerStatus = new ContainerStatus { ContainerID = "c-" + id, ExitCode = exit },
            PortStatus = port is null ? null : new PortStatus { Ports = [new PortConfig { TargetPort = 8080, PublishedPort = port, PublishMode = "host" }] },
        },
    };

    private static string? Host(string? node) => node == "n1" ? "127.0.0.1" : node == "n2" ? "10.0.0.2" : null;

    [Fact]
    public void Read_RunningTask_EndpointFromPublishedPortAndNode()
    {
        var reading = SwarmTaskReading.Read([Task("a", 5, TaskState.Running, TaskState.Running, node: "n2", port: 30001)], Host);

        Assert.Equal(SwarmTaskPhase.Running, reading.Phase);
        Assert.Equal("10.0.0.2:30001", reading.Endpoint);
        Assert.Equal("c-a", reading.ContainerId);
    }

    [Fact]
    public void Read_ReplacementWaitingOutRestartDelay_StartingWithWhyThePreviousEnded()
    {
        var reading = SwarmTaskReading.Read(
            [Task("old", 10, TaskState.Shutdown, TaskState.Complete, port: 30001), Task("new", 1, TaskState.Ready, TaskState.Ready)], Host);

        Assert.Equal(SwarmTaskPhase.Starting, reading.Phase);
        Assert.Null(reading.Endpoint);
        Assert.Contains("complete", reading.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_PreviousTaskRejected_Rejected()
    {
        var reading = SwarmTaskReading.Read(
            [Task("old", 10, TaskState.Shutdown, TaskState.Rejected, err: "No such image: nope:1"), Task("new", 1, TaskState.Running, TaskState.Pending)], Host);

        Assert.Equal(SwarmTaskPhase.Rejected, reading.Phase);
        Assert.Contains("No such image: nope:1", reading.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NoTaskWillRunAgain_EndedWithExitCode()
    {
        var reading = SwarmTaskReading.Read([Task("a", 3, TaskState.Shutdown, TaskState.Failed, err: "task: non-zero exit (3)", exit: 3)], Host);

        Assert.Equal(SwarmTaskPhase.Ended, reading.Phase);
        Assert.Equal(3, reading.ExitCode);
    }

    [Fact]
    public void Read_NoTasksYet_Starting()
    {
        Assert.Equal(SwarmTaskPhase.Starting, SwarmTaskReading.Read([], Host).Phase);
    }
}
