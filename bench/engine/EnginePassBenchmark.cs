using BenchmarkDotNet.Attributes;

namespace Berth.Bench.Engine;

/// <summary>
/// One engine pass over every service of a settled fleet (every replica running, nothing to change): what the
/// engine's resync does every 5 seconds. Sequential (one worker) and with the engine's four workers; and the first
/// pass after a server restart (<c>Cold…</c>: the store's caches empty, every service read from SQLite).
/// </summary>
[MemoryDiagnoser]
public class EnginePassBenchmark
{
    private EngineFleet _fleet = null!;

    [Params(1000)]
    public int Services { get; set; }

    [Params(10)]
    public int Replicas { get; set; }

    [GlobalSetup]
    public void Setup() => _fleet = EngineFleet.StartAsync(Services, Replicas, CancellationToken.None).GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup() => _fleet.Dispose();

    [Benchmark(Baseline = true)]
    public Task OneWorker() => _fleet.PassOverAllAsync(1, CancellationToken.None);

    [Benchmark]
    public Task FourWorkers() => _fleet.PassOverAllAsync(4, CancellationToken.None);

    [IterationSetup(Targets = [nameof(ColdOneWorker), nameof(ColdFourWorkers)])]
    public void RestartControlPlane() => _fleet.Reopen();

    [Benchmark]
    public Task ColdOneWorker() => _fleet.PassOverAllAsync(1, CancellationToken.None);

    [Benchmark]
    public Task ColdFourWorkers() => _fleet.PassOverAllAsync(4, CancellationToken.None);
}
