using System.Globalization;
using Berth.Tests.Infrastructure;

namespace Berth.Tests.Reliability;

/// <summary>
/// Chaos under constant load (≥ 200 requests/s through the router): a random replica killed with kill -9 every 2 s,
/// or frozen with SIGSTOP; every replica must come back and fewer than 0.01 % of requests may fail.
/// Seeded (BERTH_RELIABILITY_SEED); short in the suite, 60 s with BERTH_RELIABILITY_FULL=1.
/// </summary>
[Collection(ReliabilityCollection.Name)]
public sealed class ChaosTests
{
    private const int Replicas = 3;

    [Fact]
    public async Task KillNine_ARandomReplicaEvery2sUnderLoad_UnderOneFailureIn10000AndAllRestored()
    {
        using var dir = new TempDirectory();
        var port = LoopbackPort.Free();
        await using var server = await BerthServerProcess.StartAsync();
        Assert.Equal(0, (await server.CliAsync("deploy", "-c", Compose(dir, port), "chaos")).ExitCode);
        await server.WaitForReplicasAsync("chaos", AllHealthy, TimeSpan.FromSeconds(60), $"{Replicas} healthy");
        var random = new Random(ReliabilityProfile.Seed);
        var duration = ReliabilityProfile.ChaosDuration;

        var load = new ChaosLoad(port, workers: 6, perWorkerRate: 50, duration + TimeSpan.FromSeconds(30));
        var kills = new List<string>();
        while (load.Elapsed < duration)
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
            var live = (await server.ReplicasAsync("chaos")).Where(r => r.State == "running" && r.Pid is not null).ToList();
            if (live.Count == 0)
            {
                continue;
            }

            var victim = live[random.Next(live.Count)];
            BerthServerProcess.Signal(victim.Pid!.Value, "KILL");
            kills.Add($"t={load.Elapsed.TotalSeconds:F1}s {victim.Id}");
        }

        var restoredAfter = await TimeUntilAsync(server, AllHealthy);
        var result = await load.StopAsync();

        ReliabilityProfile.Record("chaos-kill", Figures(result, kills.Count, restoredAfter));
        Assert.True(result.Rate >= 200, $"load was {result.Rate:F0} requests/s, under the 200 asked for");
        Assert.True(result.FailedShare < 0.0001, $"{result.Failed} of {result.Ok + result.Failed} requests failed after {kills.Count} kills: {string.Join("; ", result.Failures)}");
    }

    [Fact]
    public async Task Sigstop_ARandomReplicaFrozenUnderLoad_EjectedAndReplacedUnderOneFailureIn10000()
    {
        using var dir = new TempDirectory();
        var port = LoopbackPort.Free();
        await using var server = await BerthServerProcess.StartAsync();
        Assert.Equal(0, (await server.CliAsync("deploy", "-c", Compose(dir, port), "frozen")).ExitCode);
        var before = await server.WaitForReplicasAsync("frozen", AllHealthy, TimeSpan.FromSeconds(60), $"{Replicas} healthy");
        var victim = before[new Random(ReliabilityProfile.Seed).Next(before.Count)];

        var load = new ChaosLoad(port, workers: 6, perWorkerRate: 50, TimeSpan.FromSeconds(90));
        await Task.Delay(TimeSpan.FromSeconds(2));
        BerthServerProcess.Signal(victim.Pid!.Value, "STOP");
        var frozenAt = load.Elapsed;
        try
        {
            var replaced = await server.WaitForReplicasAsync(
                "frozen",
                r => r.Count(x => x.Health == "healthy") == Replicas && r.All(x => x.Id != victim.Id),
                TimeSpan.FromSeconds(60),
                $"{victim.Id} replaced");
            var replacedAfter = load.Elapsed - frozenAt;
            await Task.Delay(TimeSpan.FromSeconds(2));
            var result = await load.StopAsync();

            ReliabilityProfile.Record("chaos-sigstop", Figures(result, 1, replacedAfter));
            Assert.DoesNotContain(replaced, r => r.Pid == victim.Pid);
            Assert.True(result.Rate >= 200, $"load was {result.Rate:F0} requests/s");

            // A frozen replica holds the requests already sent to it: after response_timeout (2 s in this file) the
            // router gives up on each and retries it on another replica, and its probes eject the frozen one. Fewer
            // than 1 request in 10,000 may fail, as for kills; none once it is replaced.
            var tail = result.Timeline.Where(s => s.Second >= (int)(frozenAt + replacedAfter).TotalSeconds + 1).ToList();
            Assert.True(tail.Sum(s => s.Failed) == 0, $"failures after the replacement: {string.Join("; ", result.Failures)}");
            Assert.True(result.FailedShare < 0.0001, $"{result.Failed} of {result.Ok + result.Failed} requests failed: {string.Join("; ", result.Failures)}");
        }
        finally
        {
            BerthServerProcess.Signal(victim.Pid!.Value, "KILL");
        }
    }

    private static bool AllHealthy(IReadOnlyList<Api.ReplicaInfo> replicas) =>
        replicas.Count(r => r.State == "running" && r.Health == "healthy") == Replicas;

    private static async Task<TimeSpan> TimeUntilAsync(BerthServerProcess server, Func<IReadOnlyList<Api.ReplicaInfo>, bool> condition)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await server.WaitForReplicasAsync("chaos", condition, TimeSpan.FromSeconds(60), "every replica restored");
        return clock.Elapsed;
    }

    private static object Figures(ChaosLoadResult result, int faults, TimeSpan restored) => new
    {
        seed = ReliabilityProfile.Seed,
        full = ReliabilityProfile.Full,
        seconds = Math.Round(result.Duration.TotalSeconds, 1),
        requestsPerSecond = Math.Round(result.Rate, 0),
        ok = result.Ok,
        failed = result.Failed,
        failedShare = result.FailedShare.ToString("P4", CultureInfo.InvariantCulture),
        faults,
        restoredSeconds = Math.Round(restored.TotalSeconds, 1),
        timeline = result.Timeline,
        failures = result.Failures,
    };

    private static string Compose(TempDirectory dir, int port) =>
        dir.File("docker-compose.yml", $$"""
            services:
              app:
                ports: ["{{port}}:8080"]
                healthcheck:
                  interval: 1s
                  timeout: 1s
                  retries: 3
                  start_period: 30s
                  start_interval: 200ms
                deploy:
                  replicas: {{Replicas}}
                  restart_policy:
                    condition: any
                    delay: 0s
                stop_grace_period: 2s
                x-berth:
                  process:
                    command: ["dotnet", "{{RepoPaths.ArticlesDll}}"]
                    environment:
                      ARTICLES_DB: {{Path.Combine(dir.Path, "articles.db")}}
                  health:
                    http_path: /healthz
                  router:
                    health_interval: 1s
                    health_timeout: 1s
                    response_timeout: 2s
            """);
}

/// <summary>Reliability tests run one at a time: each loads the machine on purpose.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ReliabilityCollection
{
    public const string Name = "Reliability";
}
