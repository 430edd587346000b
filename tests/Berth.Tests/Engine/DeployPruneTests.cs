using System.Net.Http.Json;
using System.Text.Json;
using Berth.Api;
using Berth.Tests.Infrastructure;

namespace Berth.Tests.Engine;

/// <summary>A service dropped from the files, against a real server on the process runtime: kept, or removed with --prune.</summary>
public sealed class DeployPruneTests
{
    [Fact]
    public async Task Deploy_ServiceDroppedFromFile_KeptWithoutPruneRemovedWithIt()
    {
        using var dir = new TempDirectory();
        await using var server = await BerthServerProcess.StartAsync();
        Assert.Equal(0, (await server.CliAsync("deploy", "-d", "-c", Stack(dir, "both.yml", withWorker: true), "p")).ExitCode);
        var workers = (await server.WaitForReplicasAsync("p", r => Running(r, "p_worker") == 2 && Running(r, "p_web") == 1, TimeSpan.FromSeconds(30), "2 workers and a web running"))
            .Where(r => r.Service == "p_worker")
            .ToList();
        var webOnly = Stack(dir, "web.yml", withWorker: false);

        var kept = await server.CliAsync("deploy", "-c", webOnly, "p");

        Assert.True(kept.ExitCode == 0, kept.ToString());
        Assert.Contains("p_worker is not in the files; kept (use --prune to remove it)\n", kept.Stdout.ReplaceLineEndings("\n"));
        Assert.All(workers, r => Assert.True(ProcessLiveness.IsAlive(r.Pid!.Value), $"{r.Id} stopped without --prune\n{kept}"));
        Assert.Equal(2, (await server.ServiceAsync("p_worker")).DesiredReplicas);

        var pruned = await server.CliAsync("deploy", "--prune", "--json", "-c", webOnly, "p");

        Assert.True(pruned.ExitCode == 0, pruned.ToString());
        var response = JsonSerializer.Deserialize<DeployResponse>(pruned.Stdout, ApiJson.Options)!;
        Assert.Equal(["p_worker"], response.Pruned);
        Assert.Empty(response.Kept);
        Assert.Contains("Service p_worker removed", pruned.Stderr);
        Assert.All(workers, r => Assert.False(ProcessLiveness.IsAlive(r.Pid!.Value), $"{r.Id} still alive after deploy --prune returned\n{pruned}"));
        var services = await server.Http.GetFromJsonAsync<List<ServiceInfo>>(ApiRoutes.Services + "?stack=p", ApiJson.Options);
        Assert.Equal(["p_web"], services!.Select(s => s.Name));
        Assert.Equal(1, Running(await server.ReplicasAsync("p"), "p_web"));
        var events = (await server.EventsAsync()).Where(e => e.Service == "p_worker").Select(e => e.Kind).ToList();
        Assert.Contains("service.kept", events);
        Assert.Contains("service.pruned", events);
        Assert.Contains("service.removed", events);
    }

    [Fact]
    public async Task DeployPrune_RefusedForBadInput_RemovesNothing()
    {
        using var dir = new TempDirectory();
        await using var server = await BerthServerProcess.StartAsync();
        Assert.Equal(0, (await server.CliAsync("deploy", "-d", "-c", Stack(dir, "both.yml", withWorker: true), "p")).ExitCode);
        var workers = (await server.WaitForReplicasAsync("p", r => Running(r, "p_worker") == 2, TimeSpan.FromSeconds(30), "2 workers running"))
            .Where(r => r.Service == "p_worker")
            .ToList();
        var bad = dir.File("bad.yml", """
            services:
              web:
                x-berth:
                  runtime: swarm
                  process:
                    command: "sleep 60"
            """);

        var deploy = await server.CliAsync("deploy", "--prune", "-c", bad, "p");

        Assert.True(deploy.ExitCode == 2, deploy.ToString());
        Assert.Contains("x-berth.runtime is swarm", deploy.Stderr);
        Assert.DoesNotContain("p_worker", deploy.Stdout + deploy.Stderr);
        var worker = await server.ServiceAsync("p_worker");
        Assert.NotEqual("removing", worker.Status);
        Assert.All(workers, r => Assert.True(ProcessLiveness.IsAlive(r.Pid!.Value), $"{r.Id} stopped by a refused deploy"));
        Assert.DoesNotContain(await server.EventsAsync(), e => e.Kind == "service.pruned");
    }

    private static int Running(IReadOnlyList<ReplicaInfo> replicas, string service) =>
        replicas.Count(r => r.Service == service && r.State == "running" && r.Pid is not null);

    /// <summary>A stack of a web service and, when asked, a worker with 2 replicas: shell loops that stop at once on SIGTERM.</summary>
    private static string Stack(TempDirectory dir, string name, bool withWorker) =>
        dir.File(name, "services:\n" + Service("web", 1) + (withWorker ? Service("worker", 2) : string.Empty));

    private static string Service(string name, int replicas) => $$"""
          {{name}}:
            deploy:
              replicas: {{replicas}}
            stop_grace_period: 2s
            x-berth:
              process:
                command: "while true; do sleep 0.2; done"

        """;
}
