using Berth.Runtimes;
using Microsoft.Extensions.Time.Testing;

namespace Berth.Tests.Runtimes.Process;

public sealed class ProcessRuntimeDriverHealthTests : ProcessRuntimeFixture
{
    private static readonly string[] HttpServer = ["/usr/bin/python3", "-m", "http.server", "${PORT}", "--bind", "127.0.0.1"];

    private static HealthProbe Fast(HealthProbe probe) => probe with
    {
        Interval = TimeSpan.FromMilliseconds(100),
        StartInterval = TimeSpan.FromMilliseconds(100),
        Timeout = TimeSpan.FromSeconds(2),
        Retries = 2,
    };

    [Fact]
    public async Task StartAsync_HttpProbeOk_StartingThenHealthyAndRunning()
    {
        var driver = CreateDriver();
        var id = NewId();
        var changes = new List<ReplicaObservation>();
        driver.ReplicaChanged += o =>
        {
            lock (changes)
            {
                changes.Add(o);
            }
        };

        var started = await StartAsync(driver, Launch(id, HttpServer) with
        {
            Health = Fast(new HealthProbe { HttpPath = "/" }),
            WorkingDir = Path.GetTempPath(),
        });

        Assert.Equal(ReplicaRunState.Starting, started.State);
        Assert.Equal(ReplicaHealth.Starting, started.Health);
        await WaitUntilAsync(() => Current(driver, id).Health == ReplicaHealth.Healthy, because: "never healthy");
        Assert.Equal(ReplicaRunState.Running, Current(driver, id).State);

        // The change event follows the state it reports (raised just after it is stored): wait for it rather than assume it.
        await WaitUntilAsync(
            () =>
            {
                lock (changes)
                {
                    return changes.Any(o => o.Health == ReplicaHealth.Healthy && o.State == ReplicaRunState.Running);
                }
            },
            because: "no ReplicaChanged event reported the replica healthy and running");
    }

    [Fact]
    public async Task StartAsync_HttpProbeNotFound_UnhealthyAfterRetriesWithMessage()
    {
        var driver = CreateDriver();
        var id = NewId();

        await StartAsync(driver, Launch(id, HttpServer) with
        {
            Health = Fast(new HealthProbe { HttpPath = "/no-such-page" }),
            WorkingDir = Path.GetTempPath(),
        });

        // Before the server listens, "connection refused" may already make it unhealthy; then 404s keep it so.
        await WaitUntilAsync(
            () => Current(driver, id) is { Health: ReplicaHealth.Unhealthy, Message: { } m } && m.Contains("HTTP 404", StringComparison.Ordinal),
            because: "never unhealthy with a 404");
        var observation = Current(driver, id);
        Assert.Equal(ReplicaRunState.Starting, observation.State);
    }

    [Fact]
    public async Task StartAsync_CommandProbe_HealthyWhenCommandSucceeds()
    {
        var driver = CreateDriver();
        var id = NewId();
        var marker = Path.Combine(RuntimeDirectory, id + ".ready");
        var probe = Fast(new HealthProbe { Command = ["/bin/sh", "-c", $"test -f {marker} && test \"$PORT\" = \"$1\"", "sh", "${PORT}"] });

        await StartAsync(driver, Shell(id, $"sleep 0.3; touch {marker}; sleep 30") with { Health = probe });

        await WaitUntilAsync(() => Current(driver, id).Health == ReplicaHealth.Healthy, because: "never healthy");
    }

    [Fact]
    public async Task StartAsync_CommandProbeFails_MessageCarriesOutput()
    {
        var driver = CreateDriver();
        var id = NewId();
        var probe = Fast(new HealthProbe { Command = ["/bin/sh", "-c", "echo database is down; exit 1"], Retries = 1 });

        await StartAsync(driver, Shell(id, "sleep 30") with { Health = probe });

        await WaitUntilAsync(() => Current(driver, id).Health == ReplicaHealth.Unhealthy, because: "never unhealthy");
        Assert.Equal("database is down", Current(driver, id).Message);
    }

    [Fact]
    public async Task StartAsync_FailingProbeInStartPeriod_StaysStartingUntilPeriodEnds()
    {
        var driver = CreateDriver();
        var id = NewId();
        var probe = Fast(new HealthProbe { Command = ["/bin/false"], Retries = 1, StartPeriod = TimeSpan.FromSeconds(1) });

        var started = DateTime.UtcNow;
        await StartAsync(driver, Shell(id, "sleep 30") with { Health = probe });

        await Task.Delay(600);
        Assert.Equal(ReplicaHealth.Starting, Current(driver, id).Health);
        await WaitUntilAsync(() => Current(driver, id).Health == ReplicaHealth.Unhealthy, because: "never unhealthy");
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task StopAsync_HealthyReplica_HealthLoopStopsWithExit()
    {
        var driver = CreateDriver();
        var id = NewId();
        var probe = Fast(new HealthProbe { Command = ["/bin/true"] });
        await StartAsync(driver, Shell(id, "sleep 30") with { Health = probe });
        await WaitUntilAsync(() => Current(driver, id).Health == ReplicaHealth.Healthy);

        await driver.StopAsync(id, TimeSpan.FromSeconds(1), CancellationToken.None);
        var exited = Current(driver, id);
        await Task.Delay(300);

        Assert.Same(exited, Current(driver, id));
    }

    [Fact]
    public async Task StartAsync_FakeClock_ProbesOnlyWhenClockReachesInterval()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var driver = CreateDriver(time: time);
        var id = NewId();
        var probe = new HealthProbe { Command = ["/bin/true"], Interval = TimeSpan.FromSeconds(30) };
        await StartAsync(driver, Shell(id, "sleep 30") with { Health = probe });

        await Task.Delay(300);
        Assert.Equal(ReplicaHealth.Starting, Current(driver, id).Health);

        time.Advance(TimeSpan.FromSeconds(30));

        await WaitUntilAsync(() => Current(driver, id).Health == ReplicaHealth.Healthy, because: "probe did not run");
    }
}
