using System.Runtime;
using Prometheus;

namespace Berth.Server.Diagnostics;

/// <summary>
/// The server process's own figures at <c>GET /metrics</c>, beside the routers' series: prometheus-net's process and
/// .NET statistics (<c>process_*</c>, <c>dotnet_collection_count_total</c>, <c>dotnet_total_memory_bytes</c>) and what
/// tells a managed heap's growth from native growth — the GC heap after the last collection, per generation, what the
/// GC has committed, and the JIT's compiled-method count (tiering up adds native code as the server runs). Read when
/// scraped, nothing sampled in between.
/// </summary>
public sealed class ServerProcessMetrics
{
    private static readonly string[] Generations = ["0", "1", "2", "loh", "poh"];

    private readonly CollectorRegistry _registry = Metrics.NewCustomRegistry();

    public ServerProcessMetrics()
    {
        DotNetStats.Register(_registry);
        var factory = Metrics.WithCustomRegistry(_registry);
        var heap = factory.CreateGauge("berth_server_gc_heap_bytes", "The server's GC heap size after its last collection (before the first one: what it has allocated).");
        var committed = factory.CreateGauge("berth_server_gc_committed_bytes", "Memory the server's GC has committed.");
        var fragmented = factory.CreateGauge("berth_server_gc_fragmented_bytes", "Free space inside the server's GC heap after its last collection.");
        var generation = factory.CreateGauge("berth_server_gc_generation_bytes", "Each generation's size after the server's last collection.", "generation");
        var methods = factory.CreateGauge("berth_server_jit_compiled_methods", "Methods the server's JIT has compiled (tier-ups included).");
        var jitBytes = factory.CreateGauge("berth_server_jit_compiled_il_bytes", "IL bytes the server's JIT has compiled.");
        _registry.AddBeforeCollectCallback(() =>
        {
            var info = GC.GetGCMemoryInfo(GCKind.Any);

            // Before its first collection (a server that started without one) there is no "after": what it has
            // allocated so far is its heap, and the GC has committed at least that.
            var heapBytes = info.Index == 0 ? GC.GetTotalMemory(forceFullCollection: false) : info.HeapSizeBytes;
            heap.Set(heapBytes);
            committed.Set(Math.Max(info.TotalCommittedBytes, heapBytes));
            fragmented.Set(info.FragmentedBytes);
            var sizes = info.GenerationInfo;
            for (var i = 0; i < Math.Min(sizes.Length, Generations.Length); i++)
            {
                generation.WithLabels(Generations[i]).Set(sizes[i].SizeAfterBytes);
            }

            methods.Set(JitInfo.GetCompiledMethodCount());
            jitBytes.Set(JitInfo.GetCompiledILBytes());
        });
    }

    /// <summary>The figures in Prometheus text format, read now.</summary>
    public Task WriteAsync(Stream output, CancellationToken cancellationToken) =>
        _registry.CollectAndExportAsTextAsync(output, cancellationToken);
}
