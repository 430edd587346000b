using System.Globalization;
using Berth.Tests.Infrastructure;

namespace Berth.Tests.Reliability;

/// <summary>GET /metrics carries the server process's own figures: what the soak reads to tell GC heap from native growth.</summary>
public sealed class ServerProcessMetricsTests
{
    [Fact]
    public async Task Metrics_ServerRunning_ExportsItsHeapCollectionsAndJitFigures()
    {
        await using var server = await BerthServerProcess.StartAsync();

        var text = await server.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        var samples = ServerMetricsText.Parse(text);

        Assert.True(samples.GetValueOrDefault("berth_server_gc_heap_bytes") > 0, text);
        Assert.True(samples.GetValueOrDefault("berth_server_gc_committed_bytes") >= samples["berth_server_gc_heap_bytes"], text);
        Assert.True(samples.GetValueOrDefault("berth_server_jit_compiled_methods") > 100, text);
        Assert.Contains("berth_server_gc_generation_bytes{generation=\"2\"}", text);
        Assert.Contains("berth_server_gc_generation_bytes{generation=\"loh\"}", text);
        // prometheus-net's process statistics: the working set is the server's own (the router is another process).
        var workingSet = samples.GetValueOrDefault("process_working_set_bytes");
        var rss = ProcessFootprint.Of(server.ServerPid).RssMegabytes * 1024 * 1024;
        Assert.InRange(workingSet, rss * 0.5, rss * 2);
        Assert.Contains("dotnet_collection_count_total{generation=\"0\"}", text);

        // Read when scraped: the JIT count moves as the server serves.
        for (var i = 0; i < 20; i++)
        {
            await server.CliAsync("service", "ls");
        }

        var later = ServerMetricsText.Parse(await server.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative)));
        Assert.True(later["berth_server_jit_compiled_methods"] > samples["berth_server_jit_compiled_methods"]);
    }
}

/// <summary>The unlabelled samples of a Prometheus text page, by name (what the soak and its test read).</summary>
internal static class ServerMetricsText
{
    public static Dictionary<string, double> Parse(string text) =>
        text.Split('\n')
            .Where(line => line.Length > 0 && line[0] != '#' && !line.Contains('{', StringComparison.Ordinal))
            .Select(line => line.Split(' '))
            .Where(parts => parts.Length >= 2)
            .GroupBy(parts => parts[0], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => double.Parse(g.First()[1], CultureInfo.InvariantCulture), StringComparer.Ordinal);
}
