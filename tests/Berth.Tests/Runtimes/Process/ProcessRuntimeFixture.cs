using Berth.Runtimes;
using Berth.Runtimes.Process;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Berth.Tests.Runtimes.Process;

/// <summary>Per-test drivers on a temp runtime directory; every process a test started is killed afterwards.</summary>
public abstract class ProcessRuntimeFixture : IAsyncLifetime
{
    private readonly List<ProcessRuntimeDriver> _drivers = [];
    private readonly HashSet<int> _pids = [];

    protected ProcessRuntimeFixture()
    {
        RuntimeDirectory = Path.Combine(Path.GetTempPath(), "berth-tests", Guid.NewGuid().ToString("N"));
    }

    protected string RuntimeDirectory { get; }

    protected ProcessRuntimeDriver CreateDriver(Action<ProcessRuntimeOptions>? configure = null, TimeProvider? time = null)
    {
        var options = new ProcessRuntimeOptions { RuntimeDirectory = RuntimeDirectory, MonitorInterval = TimeSpan.FromMilliseconds(50) };
        configure?.Invoke(options);
        var driver = new ProcessRuntimeDriver(Options.Create(options), time ?? TimeProvider.System, NullLogger<ProcessRuntimeDriver>.Instance);
        _drivers.Add(driver);
        return driver;
    }

    protected static ReplicaLaunch Launch(string id, params string[] command) => new()
    {
        ReplicaId = id,
        Service = "web",
        Release = 3,
        Slot = 1,
        Command = command,
    };

    protected static ReplicaLaunch Shell(string id, string script) => Launch(id, "/bin/sh", "-c", script);

    protected static string NewId() => "r-" + Guid.NewGuid().ToString("N")[..10];

    /// <summary>Starts a replica and remembers its pid for cleanup.</summary>
    protected async Task<ReplicaObservation> StartAsync(ProcessRuntimeDriver driver, ReplicaLaunch launch)
    {
        var observation = await driver.StartAsync(launch, CancellationToken.None);
        if (observation.Pid is { } pid)
        {
            _pids.Add(pid);
        }

        return observation;
    }

    protected static ReplicaObservation Current(ProcessRuntimeDriver driver, string id) =>
        driver.Observe().Single(o => o.ReplicaId == id);

    protected static async Task WaitUntilAsync(Func<bool> condition, TimeSpan? timeout = null, string? because = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(5));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("timed out waiting" + (because is null ? string.Empty : ": " + because));
            }

            await Task.Delay(20);
        }
    }

    protected static async Task<List<string>> ReadLogAsync(ProcessRuntimeDriver driver, string id, int tail = -1)
    {
        var lines = new List<string>();
        await foreach (var line in driver.ReadLogsAsync(id, tail, follow: false, CancellationToken.None))
        {
            lines.Add(line.Text);
        }

        return lines;
    }

    protected static async Task WaitForLogAsync(ProcessRuntimeDriver driver, string id, string text)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (!(await ReadLogAsync(driver, id)).Any(l => l.Contains(text, StringComparison.Ordinal)))
        {
            Assert.True(DateTime.UtcNow < deadline, $"log of {id} never contained '{text}'");
            await Task.Delay(20);
        }
    }

    /// <summary>Alive = /proc entry exists and is not a zombie (PID 1 here may not reap orphans).</summary>
    protected static bool IsAlive(int pid) => LinuxProcessStat.TryRead(pid) is { IsZombie: false };

    protected void Remember(int pid) => _pids.Add(pid);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var driver in _drivers)
        {
            await driver.DisposeAsync();
        }

        foreach (var pid in _pids)
        {
            PosixSignal.Send(pid, pid, PosixSignal.SigKill);
        }

        try
        {
            Directory.Delete(RuntimeDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A killed replica may still be closing its log; the temp dir is disposable anyway.
        }
    }
}
