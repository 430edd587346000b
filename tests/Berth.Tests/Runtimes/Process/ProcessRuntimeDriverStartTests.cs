using Berth.Runtimes;
using Berth.Runtimes.Process;

namespace Berth.Tests.Runtimes.Process;

public sealed class ProcessRuntimeDriverStartTests : ProcessRuntimeFixture
{
    [Fact]
    public async Task StartAsync_NoHealthProbe_RunningWithPortAndGroupLeaderPid()
    {
        var driver = CreateDriver();
        var id = NewId();

        var observation = await StartAsync(driver, Shell(id, "echo hi; sleep 30"));

        Assert.Equal(ReplicaRunState.Running, observation.State);
        Assert.Equal(ReplicaHealth.None, observation.Health);
        Assert.NotNull(observation.Port);
        Assert.Equal($"127.0.0.1:{observation.Port}", observation.Endpoint);
        var pid = Assert.NotNull(observation.Pid);
        var stat = Assert.IsType<LinuxProcessStat>(LinuxProcessStat.TryRead(pid));
        Assert.Equal(pid, stat.ProcessGroupId);
        Assert.Equal(pid, stat.SessionId);
        Assert.Equal(stat.StartTicks, observation.ProcessStartTicks);
        Assert.Equal(driver.LogPathOf(id), observation.LogPath);
        await WaitForLogAsync(driver, id, "hi");
    }

    [Fact]
    public async Task StartAsync_PortVariables_SubstitutedInArgumentsAndEnvironment()
    {
        var driver = CreateDriver();
        var id = NewId();
        var launch = Launch(id, "placeholder") with
        {
            Command = ["/bin/sh", "-c", "echo \"arg=$1 env=$PORT url=$URL id=$BERTH_REPLICA_ID svc=$BERTH_SERVICE rel=$BERTH_RELEASE slot=$BERTH_SLOT other=$OTHER\"; sleep 30", "sh", "${PORT}"],
            Environment = new Dictionary<string, string> { ["URL"] = "http://localhost:$PORT/x", ["OTHER"] = "$HOME_NOT_OURS" },
        };

        var observation = await StartAsync(driver, launch);

        var port = observation.Port;
        await WaitForLogAsync(driver, id, "arg=");
        var line = (await ReadLogAsync(driver, id)).Single();
        Assert.Equal($"arg={port} env={port} url=http://localhost:{port}/x id={id} svc=web rel=3 slot=1 other=$HOME_NOT_OURS", line);
    }

    [Fact]
    public async Task StartAsync_ServerSecretInEnvironment_NotInheritedButPathIs()
    {
        Environment.SetEnvironmentVariable("BERTH_TEST_LEAK_TOKEN", "s3cret");
        try
        {
            var driver = CreateDriver();
            var id = NewId();

            await StartAsync(driver, Shell(id, "echo \"token=${BERTH_TEST_LEAK_TOKEN:-unset} path=${PATH:+set}\"; sleep 30"));

            await WaitForLogAsync(driver, id, "token=");
            Assert.Equal("token=unset path=set", (await ReadLogAsync(driver, id)).Single());
        }
        finally
        {
            Environment.SetEnvironmentVariable("BERTH_TEST_LEAK_TOKEN", null);
        }
    }

    [Fact]
    public async Task StartAsync_TwoReplicas_GetDistinctPorts()
    {
        var driver = CreateDriver();

        var first = await StartAsync(driver, Shell(NewId(), "sleep 30"));
        var second = await StartAsync(driver, Shell(NewId(), "sleep 30"));

        Assert.NotEqual(first.Port, second.Port);
    }

    [Fact]
    public async Task StartAsync_CommandNotFound_ExitedWithClearMessage()
    {
        var driver = CreateDriver();
        var id = NewId();

        var observation = await driver.StartAsync(Launch(id, "berth-no-such-command", "x"), CancellationToken.None);

        Assert.Equal(ReplicaRunState.Exited, observation.State);
        Assert.Equal("command not found: berth-no-such-command", observation.Message);
        Assert.Equal(127, observation.ExitCode);
        Assert.Null(observation.Pid);
        Assert.Equal(ReplicaRunState.Exited, Current(driver, id).State);
    }

    [Fact]
    public async Task StartAsync_MissingWorkingDir_ExitedWithClearMessage()
    {
        var driver = CreateDriver();
        var launch = Shell(NewId(), "sleep 30") with { WorkingDir = "/nonexistent/berth-dir" };

        var observation = await driver.StartAsync(launch, CancellationToken.None);

        Assert.Equal(ReplicaRunState.Exited, observation.State);
        Assert.Equal("working_dir /nonexistent/berth-dir does not exist", observation.Message);
    }

    [Fact]
    public async Task StartAsync_WorkingDir_ProcessRunsThere()
    {
        var driver = CreateDriver();
        var id = NewId();
        var launch = Shell(id, "pwd; sleep 30") with { WorkingDir = "/tmp" };

        await StartAsync(driver, launch);

        await WaitForLogAsync(driver, id, "/tmp");
    }

    [Fact]
    public async Task StartAsync_ProcessExitsByItself_ExitedWithCodeAndEventRaised()
    {
        var driver = CreateDriver();
        var id = NewId();
        var changed = new TaskCompletionSource<ReplicaObservation>(TaskCreationOptions.RunContinuationsAsynchronously);
        driver.ReplicaChanged += o => changed.TrySetResult(o);

        await StartAsync(driver, Shell(id, "exit 3"));

        var exited = await changed.Task.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(ReplicaRunState.Exited, exited.State);
        Assert.Equal(3, exited.ExitCode);
        Assert.NotNull(exited.ExitedAt);
    }

    [Fact]
    public async Task Forget_ExitedReplica_DroppedFromObserve()
    {
        var driver = CreateDriver();
        var id = NewId();
        await StartAsync(driver, Shell(id, "exit 0"));
        await WaitUntilAsync(() => Current(driver, id).State == ReplicaRunState.Exited);

        driver.Forget(id);

        Assert.DoesNotContain(driver.Observe(), o => o.ReplicaId == id);
    }

    [Fact]
    public async Task ListNodesAsync_ProcessRuntime_OneLocalManagerNode()
    {
        var driver = CreateDriver();

        var node = Assert.Single(await driver.ListNodesAsync(CancellationToken.None));

        Assert.Equal(new NodeObservation("local", Environment.MachineName, "manager", "active", "ready", "127.0.0.1"), node);
    }
}
