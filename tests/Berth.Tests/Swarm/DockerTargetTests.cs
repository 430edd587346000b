using System.Net;
using System.Net.Http.Json;
using Berth.Api;
using Berth.Tests.Infrastructure;

namespace Berth.Tests.Swarm;

/// <summary>
/// A server on the process runtime with a Docker target: this machine's Swarm behind mutual TLS (a socat front on
/// 127.0.0.1 with a throw-away CA, as dockerd --tlsverify serves it), standing for an engine on another machine. A
/// release goes to dev as processes, and to prod as Swarm services on the target, reached through Berth's router.
/// </summary>
[Collection(SwarmCollection.Name)]
public sealed class DockerTargetTests : IAsyncLifetime
{
    private const string Stack = "tgt";
    private readonly TempDirectory _folder = new("berth-target");
    private TlsEngine _engine = null!;

    private TestCertificateAuthority Authority => _engine.Authority;

    private EngineTlsFront Front => _engine.Front;

    public async Task InitializeAsync() => _engine = await TlsEngine.StartAsync("berth-test-target-ca");

    public async Task DisposeAsync()
    {
        if (_engine is not null)
        {
            await _engine.DisposeAsync();
        }

        _folder.Dispose();
    }

    [DockerFact]
    public async Task A_release_runs_dev_as_processes_and_prod_on_the_docker_target_through_mutual_tls()
    {
        await using var cleanup = new SwarmStackCleanup($"{Stack}-prod");
        await using var server = await BerthServerProcess.StartAsync();
        var certPath = await Authority.ClientCertPathAsync(Path.Combine(_folder.Path, "client"));
        var port = LoopbackPort.FreeBlock(2);

        var added = await server.CliAsync("target", "add", "east", "--docker-host", Front.DockerHost, "--docker-cert-path", certPath);
        Assert.True(added.ExitCode == 0, added.ToString());
        Assert.Contains($"Target east added: Docker Swarm at {Front.DockerHost} (mutual TLS).", added.Stdout, StringComparison.Ordinal);
        var targets = (await server.Http.GetFromJsonAsync<List<TargetInfo>>(ApiRoutes.Targets, ApiJson.Options))!;
        Assert.Contains(new TargetInfo("east", "docker", targets.Single(t => t.Name == "east").Description, Front.DockerHost, Tls: true), targets);

        var compose = Compose("compose.yml", port, devTarget: null, prodTarget: "east");
        var release = await server.CliAsync("release", "create", "-c", compose, Stack);
        Assert.True(release.ExitCode == 0, release.ToString());

        // The pipeline makes prod's stack once dev is healthy.
        await WaitAsync(async () => (await server.Http.GetFromJsonAsync<List<StackInfo>>(ApiRoutes.Stacks, ApiJson.Options))!.Any(s => s.Name == $"{Stack}-prod"), "prod's stack");
        await server.WaitForReplicasAsync($"{Stack}-prod", r => r.Any(x => x.Health == "healthy"), TimeSpan.FromMinutes(2), "prod's replica on the target");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var dev = await http.GetStringAsync(new Uri($"http://127.0.0.1:{port + 1}/"));
        Assert.Contains("dev", dev, StringComparison.Ordinal);
        using var prod = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/"));
        Assert.Equal(HttpStatusCode.OK, prod.StatusCode);
        Assert.True(prod.Headers.Contains("X-Articles-Version"), "prod is served by the image, not by a process");
        Assert.Single(await cleanup.ServicesAsync());
        Assert.Contains("accepting connection", Front.Log, StringComparison.Ordinal);

        var diff = await server.CliAsync("diff", Stack, "--env", "dev", "--env", "prod");
        Assert.True(diff.ExitCode == 0, diff.ToString());
        Assert.Matches(@"app\s+target\s+local\s+east", diff.Stdout);

        // kill -9 of the server: the next one finds the target again and adopts prod's replica there (no new one).
        var before = (await server.ReplicasAsync($"{Stack}-prod")).Single().Id;
        var service = Assert.Single(await cleanup.ServicesAsync()).ID;
        await server.KillHardAsync();
        await server.RestartAsync();
        await server.WaitForReplicasAsync($"{Stack}-prod", r => r.Any(x => x.Id == before && x.Health == "healthy"), TimeSpan.FromSeconds(30), "prod's replica adopted");
        Assert.Equal(service, Assert.Single(await cleanup.ServicesAsync()).ID);
        Assert.DoesNotContain(await server.AppEventsAsync(), e => e.Kind == "replica.started" && e.Stack == $"{Stack}-prod" && e.Replica != before);

        var nodes = await server.Http.GetFromJsonAsync<List<NodeInfo>>(ApiRoutes.Nodes, ApiJson.Options);
        Assert.Equal([null, "east"], nodes!.Select(n => n.Target));

        // Not while it runs a service; a target that does not answer is not kept.
        using var inUse = await server.Http.DeleteAsync(new Uri(ApiRoutes.Targets + "/east", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Conflict, inUse.StatusCode);
        Assert.Contains($"{Stack}-prod_app", await inUse.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var silent = await server.CliAsync("target", "add", "west", "--docker-host", $"tcp://127.0.0.1:{LoopbackPort.Free()}");
        Assert.NotEqual(0, silent.ExitCode);
        Assert.Contains("target west was not added", silent.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", silent.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain((await server.Http.GetFromJsonAsync<List<TargetInfo>>(ApiRoutes.Targets, ApiJson.Options))!, t => t.Name == "west");

        // Once its stack is gone, the target goes too.
        var removed = await server.CliAsync("rm", $"{Stack}-prod");
        Assert.True(removed.ExitCode == 0, removed.ToString());
        await WaitAsync(async () => (await cleanup.ServicesAsync()).Count == 0, "the target's Swarm service removed");
        using var gone = await server.Http.DeleteAsync(new Uri(ApiRoutes.Targets + "/east", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NoContent, gone.StatusCode);
        Assert.False(Directory.Exists(Path.Combine(server.DataDirectory, "targets", "east")));
    }

    [DockerFact]
    public async Task A_swarm_server_runs_dev_as_processes_on_a_process_target_and_prod_on_its_swarm()
    {
        await using var cleanup = new SwarmStackCleanup($"{Stack}-prod");
        await using var server = await BerthServerProcess.StartAsync("--runtime", "swarm");
        var port = LoopbackPort.FreeBlock(2);
        var added = await server.CliAsync("target", "add", "procs", "--process");
        Assert.True(added.ExitCode == 0, added.ToString());
        Assert.Contains("Target procs added: processes on the server's machine.", added.Stdout, StringComparison.Ordinal);

        var compose = Compose("compose-procs.yml", port, devTarget: "procs", prodTarget: null);
        var release = await server.CliAsync("release", "create", "-c", compose, Stack);
        Assert.True(release.ExitCode == 0, release.ToString());

        await WaitAsync(async () => (await server.Http.GetFromJsonAsync<List<StackInfo>>(ApiRoutes.Stacks, ApiJson.Options))!.Any(s => s.Name == $"{Stack}-prod"), "prod's stack");
        await server.WaitForReplicasAsync($"{Stack}-prod", r => r.Any(x => x.Health == "healthy"), TimeSpan.FromMinutes(2), "prod's replica on the server's swarm");
        var dev = (await server.ReplicasAsync($"{Stack}-dev")).Single();
        Assert.NotNull(dev.Pid);
        Assert.NotEmpty(Directory.EnumerateFiles(Path.Combine(server.DataDirectory, "targets", "procs"), "*.log", SearchOption.AllDirectories));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        Assert.Contains("dev", await http.GetStringAsync(new Uri($"http://127.0.0.1:{port + 1}/")), StringComparison.Ordinal);
        using var prod = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/"));
        Assert.True(prod.Headers.Contains("X-Articles-Version"), "prod is served by the image on the server's swarm");
        Assert.Single(await cleanup.ServicesAsync());
    }

    /// <summary>
    /// One service, run from the example image (prod) or as python's http.server naming its environment (dev, on the
    /// process runtime); dev on port+1, prod on port, each on the target given (null: local).
    /// </summary>
    private string Compose(string file, int port, string? devTarget, string? prodTarget) => _folder.File(file, $$"""
        services:
          app:
            image: {{ArticlesImage.Tag}}
            ports: ["{{port}}:8080"]
            environment:
              ARTICLES_DB: /tmp/articles.db
            stop_grace_period: 2s
            x-berth:
              health:
                http_path: /
              process:
                command: ["sh", "-c", "echo \"$$BERTH_ENVIRONMENT\" > index.html && exec python3 -m http.server $$PORT --bind 127.0.0.1"]
        x-berth:
          environments:
            - name: dev
              target: {{devTarget ?? "local"}}
              port_offset: 1
            - name: prod
              target: {{prodTarget ?? "local"}}
        """);

    private static async Task WaitAsync(Func<Task<bool>> condition, string what)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException($"timed out waiting for {what}");
            }

            await Task.Delay(200);
        }
    }
}
