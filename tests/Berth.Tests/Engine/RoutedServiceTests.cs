using System.Diagnostics;
using System.Net;
using Berth.Tests.Infrastructure;

namespace Berth.Tests.Engine;

/// <summary>A deployed service behind the router: its published port answers, and replicas can die or be replaced under load with no failed request.</summary>
public sealed class RoutedServiceTests
{
    private static string Compose(TempDirectory dir, int port, string version) =>
        dir.File($"compose-{version}.yml", $$"""
            services:
              app:
                ports: ["{{port}}:8080"]
                environment:
                  ARTICLES_VERSION: "{{version}}"
                healthcheck:
                  interval: 1s
                  timeout: 2s
                  retries: 3
                  start_period: 30s
                  start_interval: 200ms
                deploy:
                  replicas: 3
                  restart_policy:
                    condition: any
                    delay: 0s
                stop_grace_period: 5s
                x-berth:
                  process:
                    command: ["dotnet", "{{RepoPaths.ArticlesDll}}"]
                    environment:
                      ARTICLES_DB: {{Path.Combine(dir.Path, "articles.db")}}
                  health:
                    http_path: /healthz
            """);

    [Fact]
    public async Task KillNine_UnderLoadThroughFrontDoor_NoFailedRequest()
    {
        using var dir = new TempDirectory();
        var port = LoopbackPort.Free();
        await using var server = await BerthServerProcess.StartAsync();
        Assert.Equal(0, (await server.CliAsync("deploy", "-c", Compose(dir, port, "1"), "web")).ExitCode);
        var replicas = await server.WaitForReplicasAsync("web", r => r.Count(x => x.Health == "healthy") == 3, TimeSpan.FromSeconds(30), "3 healthy");

        var load = new LoadLoop(port, workers: 4, TimeSpan.FromSeconds(20));
        await Task.Delay(1000);
        BerthServerProcess.Signal(replicas[0].Pid!.Value, "KILL");
        await server.WaitForReplicasAsync("web", r => r.Count(x => x.Health == "healthy") == 3 && r.All(x => x.Id != replicas[0].Id), TimeSpan.FromSeconds(20), "replaced");
        await Task.Delay(500);
        var (ok, failed, failures, _) = await load.StopAsync();

        Assert.True(ok > 100, $"only {ok} requests went through");
        Assert.True(failed == 0, $"{failed} of {ok + failed} requests failed: {failures}");
    }

    [Fact]
    public async Task NewRelease_ReplacedUnderLoad_NoFailedRequestAndAllOnNewRelease()
    {
        using var dir = new TempDirectory();
        var port = LoopbackPort.Free();
        await using var server = await BerthServerProcess.StartAsync();
        Assert.Equal(0, (await server.CliAsync("deploy", "-c", Compose(dir, port, "1"), "web")).ExitCode);
        await server.WaitForReplicasAsync("web", r => r.Count(x => x.Health == "healthy") == 3, TimeSpan.FromSeconds(30), "3 healthy");

        var load = new LoadLoop(port, workers: 4, TimeSpan.FromSeconds(60));
        var deploy = await server.CliAsync("deploy", "-c", Compose(dir, port, "2"), "web");
        var (ok, failed, failures, _) = await load.StopAsync();

        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        Assert.True(failed == 0, $"{failed} of {ok + failed} requests failed: {failures}");
        using var http = new HttpClient();
        for (var i = 0; i < 20; i++)
        {
            using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/"));
            Assert.Equal("2", response.Headers.GetValues("X-Articles-Version").Single());
            Assert.StartsWith("release=2;", response.Headers.GetValues("X-Berth-Served-By").Single(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ScaleDown_UnderLoad_DrainedReplicasCauseNoFailure()
    {
        using var dir = new TempDirectory();
        var port = LoopbackPort.Free();
        await using var server = await BerthServerProcess.StartAsync();
        Assert.Equal(0, (await server.CliAsync("deploy", "-c", Compose(dir, port, "1"), "web")).ExitCode);
        await server.WaitForReplicasAsync("web", r => r.Count(x => x.Health == "healthy") == 3, TimeSpan.FromSeconds(30), "3 healthy");

        var load = new LoadLoop(port, workers: 4, TimeSpan.FromSeconds(30));
        await Task.Delay(500);
        Assert.Equal(0, (await server.CliAsync("scale", "web_app=1")).ExitCode);
        await server.WaitForReplicasAsync("web", r => r.Count == 1, TimeSpan.FromSeconds(20), "1 replica");
        await Task.Delay(500);
        var (ok, failed, failures, _) = await load.StopAsync();

        Assert.True(failed == 0, $"{failed} of {ok + failed} requests failed: {failures}");
    }

    [Fact]
    public async Task Inspect_ShowsFrontDoorAndReplicasBehindIt()
    {
        using var dir = new TempDirectory();
        var port = LoopbackPort.Free();
        await using var server = await BerthServerProcess.StartAsync();
        Assert.Equal(0, (await server.CliAsync("deploy", "-c", Compose(dir, port, "1"), "web")).ExitCode);
        var replicas = await server.WaitForReplicasAsync("web", r => r.Count(x => x.Health == "healthy") == 3, TimeSpan.FromSeconds(30), "3 healthy");
        var clock = Stopwatch.StartNew();
        string inspect;
        do
        {
            inspect = (await server.CliAsync("service", "inspect", "web_app")).Stdout;
        }
        while (!replicas.All(r => inspect.Contains(r.Id, StringComparison.Ordinal)) && clock.Elapsed < TimeSpan.FromSeconds(10));

        Assert.Contains($"127.0.0.1:{port}", inspect);
        Assert.All(replicas, r => Assert.Contains(r.Id, inspect));
        using (var http = new HttpClient())
        {
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri($"http://127.0.0.1:{port}/healthz"))).StatusCode);
        }

        // The router records a request just after answering it and sends its Prometheus text every 5 s: look for a while.
        var metrics = "";
        for (var attempt = 0; attempt < 150 && !metrics.Contains("berth_router_requests_total{service=\"web_app\"", StringComparison.Ordinal); attempt++)
        {
            await Task.Delay(100);
            metrics = await server.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        }

        Assert.Contains("berth_router_requests_total{service=\"web_app\",release=\"1\"", metrics);
    }
}
