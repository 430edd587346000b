using Berth.Runtimes.Swarm;
using Docker.DotNet.Models;

namespace Berth.Tests.Swarm;

/// <summary>A task Swarm keeps pending because no node can take it reads as unschedulable, with Swarm's reason.</summary>
public sealed class SwarmUnschedulableReadingTests
{
    private static TaskResponse Pending(string? err) => new()
    {
        ID = "t1",
        CreatedAt = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc),
        DesiredState = TaskState.Running,
        Status = new Docker.DotNet.Models.TaskStatus { State = TaskState.Pending, Message = "pending task scheduling", Err = err },
    };

    [Fact]
    public void Read_PendingWithNoSuitableNode_UnschedulableWithSwarmsReason()
    {
        var reading = SwarmTaskReading.Read([Pending("no suitable node (scheduling constraints not satisfied on 1 node)")], _ => null);

        Assert.Equal(SwarmTaskPhase.Unschedulable, reading.Phase);
        Assert.Equal("no suitable node (scheduling constraints not satisfied on 1 node)", reading.Message);
    }

    [Fact]
    public void Read_PendingWithoutError_StillStarting()
    {
        var reading = SwarmTaskReading.Read([Pending(null)], _ => null);

        Assert.Equal(SwarmTaskPhase.Starting, reading.Phase);
    }

    [Theory]
    [InlineData("no suitable node (1 node not available for new tasks)")]
    [InlineData("no suitable node (2 nodes not available for new tasks)")]
    public void Read_PendingOnlyBecauseNodesAreDrained_StillStartingUntilActivate(string err)
    {
        var reading = SwarmTaskReading.Read([Pending(err)], _ => null);

        Assert.Equal(SwarmTaskPhase.Starting, reading.Phase);
    }

    [Fact]
    public void Read_DrainedNodePlusConstraintsNotSatisfiedOnTheOthers_Unschedulable()
    {
        var reading = SwarmTaskReading.Read([Pending("no suitable node (scheduling constraints not satisfied on 1 node; 1 node not available for new tasks)")], _ => null);

        Assert.Equal(SwarmTaskPhase.Unschedulable, reading.Phase);
    }
}
