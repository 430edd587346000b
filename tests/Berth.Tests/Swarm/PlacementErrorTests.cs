using System.Diagnostics;
using System.Globalization;
using Berth.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Berth.Tests.Swarm;

/// <summary>
/// A release Swarm cannot place (a placement constraint no node satisfies): Swarm keeps its task pending for ever; Berth
/// fails the replica after a short grace with a message naming the service, the constraint and the nodes' labels, the
/// deploy fails with it, and the previous release keeps serving.
/// </summary>
[Collection(SwarmCollection.Name)]
public sealed class PlacementErrorTests(ITestOutputHelper log)
{
    [DockerFact]
    public async Task Deploy_ConstraintNoNodeSatisfies_FailsQuicklyNamingTheConstraintAndPreviousReleaseKeepsServing()
    {
        var stack = "spl" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(3));
        var port = LoopbackPort.Free();
        using var dir = new TempDirectory();
        await using var cleanup = new SwarmStackCleanup(stack);
        await using var server = await BerthServerProcess.StartAsync("--runtime", "swarm");

        var first = await server.CliAsync("deploy", "-c", dir.File("v1.yml", Compose(port, version: 1, constraint: null)), stack);
        Assert.True(first.ExitCode == 0, first + "\nserver:\n" + server.Output);
        await server.WaitForReplicasAsync(stack, r => r.Any(x => x.Release == 1 && x.Health == "healthy"), TimeSpan.FromSeconds(60), "release 1 healthy");

        var clock = Stopwatch.StartNew();
        var second = await server.CliAsync("deploy", "-c", dir.File("v2.yml", Compose(port, version: 2, constraint: "node.labels.zone == nowhere")), stack);
        var took = clock.Elapsed;

        var output = second.Stdout + second.Stderr;
        Assert.True(second.ExitCode != 0, second.ToString());
        Assert.True(took < TimeSpan.FromSeconds(45), $"the deploy took {took} to fail (Swarm keeps such a task pending for ever)");
        var events = string.Join('\n', (await server.EventsAsync()).Select(e => e.Message));
        var said = output + "\n" + events;
        log.WriteLine(said);
        Assert.True(said.Contains($"service {stack}_app cannot be placed", StringComparison.Ordinal), $"missing {$"service {stack}_app cannot be placed"} in:\n{said}");
        Assert.True(said.Contains("[node.labels.zone == nowhere]", StringComparison.Ordinal), $"missing {"[node.labels.zone == nowhere]"} in:\n{said}");
        Assert.True(said.Contains("node labels:", StringComparison.Ordinal), $"missing {"node labels:"} in:\n{said}");
        Assert.True(said.Contains("no suitable node", StringComparison.Ordinal), $"missing {"no suitable node"} in:\n{said}");
        Assert.Contains("cannot be placed", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);

        Assert.Contains(await server.ReplicasAsync(stack), r => r.Release == 1 && r.Health == "healthy");
        Assert.All(await ServedByAsync(port, 4), s => Assert.StartsWith("release=1;", s, StringComparison.Ordinal));
        Assert.DoesNotContain(await cleanup.ServicesAsync(), s => s.Spec?.Labels?.TryGetValue("berth.release", out var r) == true && r == "2");
    }

    /// <summary>The articles app (the test image unless told), one replica, with an optional placement constraint.</summary>
    internal static string Compose(int port, int version, string? constraint, string image = ArticlesImage.Tag, string monitor = "10s") => $"""
        services:
          app:
            image: "{image}"
            ports:
              - "{port.ToString(CultureInfo.InvariantCulture)}:8080"
            environment:
              ARTICLES_VERSION: "{version.ToString(CultureInfo.InvariantCulture)}"
              ARTICLES_DB: /tmp/articles.db
            stop_grace_period: 2s
            deploy:
              replicas: 1
              update_config:
                order: start-first
                monitor: {monitor}
                failure_action: rollback
        {(constraint is null ? "" : $"      placement:\n        constraints: [\"{constraint}\"]\n")}    x-berth:
              health:
                http_path: /healthz
        """;

    internal static async Task<List<string>> ServedByAsync(int port, int requests)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var servedBy = new List<string>();
        for (var i = 0; i < requests; i++)
        {
            using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/"));
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            servedBy.Add(response.Headers.GetValues("X-Berth-Served-By").Single());
        }

        return servedBy;
    }
}
