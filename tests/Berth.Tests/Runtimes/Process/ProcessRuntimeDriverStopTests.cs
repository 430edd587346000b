using System.Globalization;
using Berth.Runtimes;

namespace Berth.Tests.Runtimes.Process;

public sealed class ProcessRuntimeDriverStopTests : ProcessRuntimeFixture
{
    [Fact]
    public async Task StopAsync_ProcessTrapsTerm_ExitsWithinGrace()
    {
        var driver = CreateDriver();
        var id = NewId();
        await StartAsync(driver, Shell(id, "trap 'echo term; exit 0' TERM; echo ready; sleep 30 & wait"));
        await WaitForLogAsync(driver, id, "ready");

        var started = DateTime.UtcNow;
        await driver.StopAsync(id, TimeSpan.FromSeconds(5), CancellationToken.None);

        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(3));
        var observation = Current(driver, id);
        Assert.Equal(ReplicaRunState.Exited, observation.State);
        Assert.Equal(0, observation.ExitCode);
        Assert.Contains("term", await ReadLogAsync(driver, id));
    }

    [Fact]
    public async Task StopAsync_ProcessIgnoresTerm_KilledAfterGrace()
    {
        var driver = CreateDriver();
        var id = NewId();
        await StartAsync(driver, Shell(id, "trap '' TERM; echo ready; while true; do sleep 1; done"));
        await WaitForLogAsync(driver, id, "ready");

        var stopping = System.Diagnostics.Stopwatch.StartNew();
        await driver.StopAsync(id, TimeSpan.FromMilliseconds(300), CancellationToken.None);

        // The grace timer and the stopwatch read different clocks: a timer may fire a few milliseconds "early" by the
        // stopwatch (seen in CI: the assertion failed by less than the timer's resolution), so allow 20 ms of slack.
        Assert.True(stopping.Elapsed >= TimeSpan.FromMilliseconds(280), $"killed after {stopping.Elapsed.TotalMilliseconds:F0} ms, before the 300 ms grace");
        var observation = Current(driver, id);
        Assert.Equal(ReplicaRunState.Exited, observation.State);
        Assert.Equal(137, observation.ExitCode);
    }

    [Fact]
    public async Task StopAsync_ProcessWithChild_ChildKilledToo()
    {
        var driver = CreateDriver();
        var id = NewId();
        var observation = await StartAsync(driver, Shell(id, "sleep 1000 & echo child=$!; sleep 1000"));
        await WaitForLogAsync(driver, id, "child=");
        var child = int.Parse((await ReadLogAsync(driver, id)).Single()["child=".Length..], CultureInfo.InvariantCulture);
        Remember(child);
        Assert.True(IsAlive(child));

        await driver.StopAsync(id, TimeSpan.FromSeconds(2), CancellationToken.None);

        Assert.False(IsAlive(observation.Pid!.Value));
        await WaitUntilAsync(() => !IsAlive(child), TimeSpan.FromSeconds(2), "child process survived");
    }

    [Fact]
    public async Task StopAsync_UnknownOrAlreadyStopped_NoOp()
    {
        var driver = CreateDriver();
        var id = NewId();
        await StartAsync(driver, Shell(id, "sleep 30"));

        await driver.StopAsync("r-unknown", TimeSpan.FromSeconds(1), CancellationToken.None);
        await driver.StopAsync(id, TimeSpan.FromSeconds(1), CancellationToken.None);
        await driver.StopAsync(id, TimeSpan.FromSeconds(1), CancellationToken.None);

        Assert.Equal(ReplicaRunState.Exited, Current(driver, id).State);
    }

    [Fact]
    public async Task KillAsync_RunningReplica_Exit137AndReplicaChangedRaised()
    {
        var driver = CreateDriver();
        var id = NewId();
        var observation = await StartAsync(driver, Shell(id, "sleep 30"));
        var changes = new List<ReplicaObservation>();
        driver.ReplicaChanged += o =>
        {
            lock (changes)
            {
                changes.Add(o);
            }
        };

        await driver.KillAsync(id, CancellationToken.None);

        var exited = Current(driver, id);
        Assert.Equal(ReplicaRunState.Exited, exited.State);
        Assert.Equal(137, exited.ExitCode);
        Assert.False(IsAlive(observation.Pid!.Value));
        lock (changes)
        {
            Assert.Contains(changes, o => o.ReplicaId == id && o.State == ReplicaRunState.Exited);
        }
    }

    [Fact]
    public async Task StartAsync_LeaderExitsLeavingChild_ChildKilledWithIt()
    {
        var driver = CreateDriver();
        var id = NewId();
        await StartAsync(driver, Shell(id, "sleep 1000 & echo child=$!; sleep 0.3"));
        await WaitForLogAsync(driver, id, "child=");
        var child = int.Parse((await ReadLogAsync(driver, id)).Single()["child=".Length..], CultureInfo.InvariantCulture);
        Remember(child);

        await WaitUntilAsync(() => Current(driver, id).State == ReplicaRunState.Exited);

        Assert.Equal(0, Current(driver, id).ExitCode);
        await WaitUntilAsync(() => !IsAlive(child), TimeSpan.FromSeconds(2), "child process survived its leader");
    }
}
