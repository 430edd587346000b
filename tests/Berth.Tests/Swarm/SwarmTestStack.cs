using System.Diagnostics;
using Berth.Runtimes;
using Berth.Runtimes.Swarm;
using Berth.Spec;
using Berth.Tests.Infrastructure;
using Docker.DotNet.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Berth.Tests.Swarm;

/// <summary>
/// A Swarm driver for one test, with a stack name of its own; on dispose it stops its drivers and removes what
/// the stack left on the engine (<see cref="SwarmStackCleanup"/>).
/// </summary>
internal sealed class SwarmTestStack : IAsyncDisposable
{
    private readonly List<SwarmRuntimeDriver> _drivers = [];
    private readonly SwarmStackCleanup _cleanup;

    public SwarmTestStack()
    {
        Stack = "swt" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(3));
        _cleanup = new SwarmStackCleanup(Stack);
        Driver = NewDriver();
    }

    public string Stack { get; }

    public SwarmRuntimeDriver Driver { get; }

    public string Service => Stack + "_app";

    public SwarmRuntimeDriver NewDriver(TimeSpan? pollInterval = null, TimeSpan? resyncInterval = null, string? endpoint = null)
    {
        var options = new SwarmRuntimeOptions { Endpoint = endpoint ?? DockerEngine.Endpoint.ToString(), PollInterval = pollInterval ?? TimeSpan.FromMilliseconds(250) };
        if (resyncInterval is { } resync)
        {
            options.ResyncInterval = resync;
        }

        var driver = new SwarmRuntimeDriver(
            Options.Create(options),
            TimeProvider.System,
            NullLogger<SwarmRuntimeDriver>.Instance);
        _drivers.Add(driver);
        return driver;
    }

    /// <summary>The example app on port 8080 with its compose healthcheck (curl /healthz) and x-berth.health.http_path.</summary>
    public ReplicaLaunch Launch(int slot = 1, string image = ArticlesImage.Tag, int release = 1) => new()
    {
        ReplicaId = $"{Service}.{slot}.{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4))}",
        Service = Service,
        Release = release,
        Slot = slot,
        Command = [],
        Stack = Stack,
        Health = new HealthProbe { HttpPath = "/healthz", Interval = TimeSpan.FromSeconds(1), Timeout = TimeSpan.FromSeconds(1), Retries = 3 },
        StopGracePeriod = TimeSpan.FromSeconds(5),
        Spec = new Berth.Spec.ServiceSpec
        {
            Name = Service,
            Image = image,
            Environment = new Dictionary<string, string?> { ["ARTICLES_VERSION"] = release.ToString(System.Globalization.CultureInfo.InvariantCulture), ["ARTICLES_DB"] = "/tmp/articles.db" },
            Ports = [new PortSpec { Target = 8080, Published = 8080 }],
            Healthcheck = new HealthcheckSpec
            {
                Test = ["CMD", "curl", "-fsS", "http://127.0.0.1:8080/healthz"],
                Interval = TimeSpan.FromSeconds(1),
                Timeout = TimeSpan.FromSeconds(2),
                Retries = 3,
                StartInterval = TimeSpan.FromMilliseconds(250),
            },
            StopGracePeriod = TimeSpan.FromSeconds(5),
            Deploy = new DeploySpec { RestartPolicy = new RestartPolicySpec { Condition = RestartConditions.Any, Delay = TimeSpan.Zero } },
        },
    };

    /// <summary>Polls the driver's observation of <paramref name="replicaId"/> until <paramref name="condition"/> holds.</summary>
    public async Task<ReplicaObservation> WaitForAsync(SwarmRuntimeDriver driver, string replicaId, Func<ReplicaObservation, bool> condition, string what, TimeSpan? timeout = null)
    {
        var clock = Stopwatch.StartNew();
        ReplicaObservation? last = null;
        while (clock.Elapsed < (timeout ?? TimeSpan.FromSeconds(40)))
        {
            last = driver.Observe().FirstOrDefault(o => o.ReplicaId == replicaId);
            if (last is not null && condition(last))
            {
                return last;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"timed out waiting for {what}; last observation: {last}");
    }

    public static bool IsReady(ReplicaObservation o) => o.State == ReplicaRunState.Running && o.Health is ReplicaHealth.Healthy or ReplicaHealth.None;

    public Task<IList<SwarmService>> ServicesAsync() => _cleanup.ServicesAsync();

    public async ValueTask DisposeAsync()
    {
        foreach (var driver in _drivers)
        {
            await driver.DisposeAsync();
        }

        await _cleanup.DisposeAsync();
    }
}
