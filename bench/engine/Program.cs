using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Running;
using Berth.Bench.Engine;

// `footprint` measures the process's memory with the fleet in it (what a server holding it would need);
// anything else goes to BenchmarkDotNet (e.g. `--filter '*' --job short`).
if (args is ["footprint", var services, var replicas])
{
    var before = Environment.WorkingSet;
    using var fleet = await EngineFleet.StartAsync(int.Parse(services, CultureInfo.InvariantCulture), int.Parse(replicas, CultureInfo.InvariantCulture), CancellationToken.None);
    var pass = Stopwatch.StartNew();
    await fleet.PassOverAllAsync(4, CancellationToken.None);
    pass.Stop();
    GC.Collect();
    using var self = Process.GetCurrentProcess();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"services={services} replicas={replicas} working_set_mb={Environment.WorkingSet / 1048576.0:F1} peak_working_set_mb={self.PeakWorkingSet64 / 1048576.0:F1} managed_heap_mb={GC.GetTotalMemory(false) / 1048576.0:F1} start_mb={before / 1048576.0:F1} first_pass_ms={pass.Elapsed.TotalMilliseconds:F1}"));
    return 0;
}

// `passes N R W K`: K timed passes with W workers (a quick look while working on the engine; the figures that count
// come from BenchmarkDotNet).
if (args is ["passes", var n, var r, var w, var k])
{
    using var fleet = await EngineFleet.StartAsync(int.Parse(n, CultureInfo.InvariantCulture), int.Parse(r, CultureInfo.InvariantCulture), CancellationToken.None);
    for (var i = 0; i < int.Parse(k, CultureInfo.InvariantCulture); i++)
    {
        var allocated = GC.GetTotalAllocatedBytes();
        var pass = Stopwatch.StartNew();
        await fleet.PassOverAllAsync(int.Parse(w, CultureInfo.InvariantCulture), CancellationToken.None);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"pass {i}: {pass.Elapsed.TotalMilliseconds:F1} ms, {(GC.GetTotalAllocatedBytes() - allocated) / 1048576.0:F1} MB allocated"));
    }

    return 0;
}

BenchmarkSwitcher.FromAssembly(typeof(EnginePassBenchmark).Assembly).Run(args);
return 0;
