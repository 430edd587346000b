using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Berth.Api;
using Berth.Queries;

namespace Berth.Bench.Engine;

/// <summary>
/// `service ls` and `ps` over the same settled fleet, server side: the read model the API endpoint builds
/// (<see cref="ServiceQueries"/>) and its JSON body with the API's settings — what the server does between a
/// request's arrival and its answer's bytes. After an engine pass (the snapshots the engine keeps, as in a running
/// server) and after a restart (<c>Cold…</c>: every service read from SQLite).
/// </summary>
[MemoryDiagnoser]
public class QueryBenchmark
{
    private EngineFleet _fleet = null!;

    [Params(1000)]
    public int Services { get; set; }

    [Params(10)]
    public int Replicas { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _fleet = EngineFleet.StartAsync(Services, Replicas, CancellationToken.None).GetAwaiter().GetResult();
        _fleet.PassOverAllAsync(4, CancellationToken.None).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup() => _fleet.Dispose();

    [Benchmark(Baseline = true)]
    public async Task<int> ServiceLs() => await ServiceLsAsync();

    [Benchmark]
    public async Task<int> Ps() => await PsAsync();

    [IterationSetup(Targets = [nameof(ColdServiceLs), nameof(ColdPs)])]
    public void RestartControlPlane() => _fleet.Reopen();

    [Benchmark]
    public async Task<int> ColdServiceLs() => await ServiceLsAsync();

    [Benchmark]
    public async Task<int> ColdPs() => await PsAsync();

    private async Task<int> ServiceLsAsync()
    {
        var services = await new ServiceQueries(_fleet.Store).GetServicesAsync(null, CancellationToken.None);
        return Check(services.Count, Services, JsonSerializer.SerializeToUtf8Bytes(services, ApiJson.Options));
    }

    private async Task<int> PsAsync()
    {
        var replicas = await new ServiceQueries(_fleet.Store).GetReplicasAsync(null, null, all: false, CancellationToken.None);
        return Check(replicas.Count, Services * Replicas, JsonSerializer.SerializeToUtf8Bytes(replicas, ApiJson.Options));
    }

    /// <summary>The answer's size, once its row count is what the fleet holds (a wrong answer is not a fast one).</summary>
    private static int Check(int rows, int expected, byte[] body) =>
        rows == expected ? body.Length : throw new InvalidOperationException($"{rows} rows where the fleet has {expected}");
}
