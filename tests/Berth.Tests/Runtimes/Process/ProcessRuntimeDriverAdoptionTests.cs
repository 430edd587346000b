using Berth.Runtimes;
using Berth.Runtimes.Process;

namespace Berth.Tests.Runtimes.Process;

public sealed class ProcessRuntimeDriverAdoptionTests : ProcessRuntimeFixture
{
    [Fact]
    public async Task AdoptAsync_ProcessOutlivedDisposedDriver_RunningThenExternalKillReported()
    {
        var first = CreateDriver();
        var id = NewId();
        var launch = Shell(id, "echo started; while true; do sleep 0.1; done");
        var started = await StartAsync(first, launch);
        var pid = started.Pid!.Value;
        await first.DisposeAsync();
        Assert.True(IsAlive(pid));

        var second = CreateDriver();
        var changed = new TaskCompletionSource<ReplicaObservation>(TaskCreationOptions.RunContinuationsAsynchronously);
        second.ReplicaChanged += o => changed.TrySetResult(o);
        var adopted = await second.AdoptAsync(started.ToHandle(), launch, CancellationToken.None);

        Assert.NotNull(adopted);
        Assert.Equal(ReplicaRunState.Running, adopted.State);
        Assert.Equal(pid, adopted.Pid);
        Assert.Equal(started.Port, adopted.Port);
        Assert.Equal(started.ProcessStartTicks, adopted.ProcessStartTicks);

        PosixSignal.Send(pid, pid, PosixSignal.SigKill);

        var exited = await changed.Task.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(ReplicaRunState.Exited, exited.State);
        Assert.Null(exited.ExitCode);
        Assert.Equal("exited while the server was down or not observable", exited.Message);
    }

    [Fact]
    public async Task AdoptAsync_NoPidRecordedButItsProcessRuns_ProcessStoppedAndRefused()
    {
        // The server stopped between starting the replica and recording its pid: the store has a row without one.
        var (id, launch, started) = await StartAndLeaveRunningAsync("echo ready; while true; do sleep 0.1; done");
        Assert.True(IsAlive(started.Pid!.Value));

        var second = CreateDriver();
        var adopted = await second.AdoptAsync(new ReplicaHandle(id, null, null, null, null), launch, CancellationToken.None);

        Assert.Null(adopted);
        Assert.False(IsAlive(started.Pid!.Value), "the replica's process, which no store knows, still runs");
    }

    [Fact]
    public async Task StopAsync_AdoptedReplica_StoppedByPolling()
    {
        var (id, launch, started) = await StartAndLeaveRunningAsync("sleep 1000 & echo ready; sleep 1000");
        var second = CreateDriver();
        Assert.NotNull(await second.AdoptAsync(started.ToHandle(), launch, CancellationToken.None));

        await second.StopAsync(id, TimeSpan.FromSeconds(2), CancellationToken.None);

        Assert.Equal(ReplicaRunState.Exited, Current(second, id).State);
        Assert.False(IsAlive(started.Pid!.Value));
    }

    [Fact]
    public async Task AdoptAsync_StartTimeDiffers_Refused()
    {
        var driver = CreateDriver();
        var id = NewId();
        var launch = Shell(id, "sleep 30");
        var started = await StartAsync(driver, launch);
        var other = CreateDriver();

        var adopted = await other.AdoptAsync(
            started.ToHandle() with { ProcessStartTicks = started.ProcessStartTicks - 1 }, launch, CancellationToken.None);

        Assert.Null(adopted);
        Assert.Empty(other.Observe());
    }

    [Fact]
    public async Task AdoptAsync_ProcessGone_Refused()
    {
        var driver = CreateDriver();
        var id = NewId();
        var launch = Shell(id, "sleep 30");
        var started = await StartAsync(driver, launch);
        await driver.KillAsync(id, CancellationToken.None);

        var adopted = await CreateDriver().AdoptAsync(started.ToHandle(), launch, CancellationToken.None);

        Assert.Null(adopted);
    }

    [Fact]
    public async Task AdoptAsync_WithHealthProbe_HealthLoopResumes()
    {
        var first = CreateDriver();
        var id = NewId();
        var launch = Shell(id, "sleep 30") with
        {
            Health = new HealthProbe { Command = ["/bin/true"], Interval = TimeSpan.FromMilliseconds(100) },
        };
        var started = await StartAsync(first, launch);
        await first.DisposeAsync();
        var second = CreateDriver();

        var adopted = await second.AdoptAsync(started.ToHandle(), launch, CancellationToken.None);

        Assert.Equal(ReplicaHealth.Starting, adopted!.Health);
        await WaitUntilAsync(() => Current(second, id).Health == ReplicaHealth.Healthy);
    }

    /// <summary>
    /// Starts a replica running <paramref name="script"/> (which prints "ready" once started) with a driver that then
    /// goes away, as a server that stops: the process keeps running, known only to whatever adopts it next.
    /// </summary>
    private async Task<(string Id, ReplicaLaunch Launch, ReplicaObservation Started)> StartAndLeaveRunningAsync(string script)
    {
        var first = CreateDriver();
        var id = NewId();
        var launch = Shell(id, script);
        var started = await StartAsync(first, launch);
        await WaitForLogAsync(first, id, "ready");
        await first.DisposeAsync();
        return (id, launch, started);
    }
}
