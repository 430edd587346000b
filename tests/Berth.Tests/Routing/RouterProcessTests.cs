using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Berth.Api;
using Berth.Tests.Infrastructure;
using Berth.Tests.Rollouts;

namespace Berth.Tests.Routing;

/// <summary>
/// The router as a process of its own, end to end with the real server, router and example app: it is listed, it
/// keeps serving while the server is killed and restarted (then a rolling update goes through it), it ejects a replica
/// killed while the server is away, it is started again when it dies, and `router stop` stops it.
/// </summary>
public sealed class RouterProcessTests
{
    [Fact]
    public async Task RouterLs_Json_ShowsTheServersRouterLiveWithItsPidNodeAndRouteVersion()
    {
        await using var server = await BerthServerProcess.StartAsync();

        var router = await WaitForRouterAsync(server, r => r.State == "live" && r.Pid is not null);
        var json = await server.CliAsync("router", "ls", "--json");
        var table = await server.CliAsync("router", "ls");

        Assert.True(json.ExitCode == 0, json.ToString());
        using var document = JsonDocument.Parse(json.Stdout);
        var first = document.RootElement.EnumerateArray().Single();
        foreach (var field in (string[])["id", "pid", "node", "version", "routeVersion", "state"])
        {
            Assert.True(first.TryGetProperty(field, out _), $"router ls --json lacks {field}: {json.Stdout}");
        }

        Assert.Equal("local", router.Id);
        Assert.Equal(server.RouterPid, router.Pid);
        Assert.Equal(Environment.MachineName, router.Node);
        Assert.False(string.IsNullOrEmpty(router.Version));
        Assert.True(router.RouteVersion > 0);
        Assert.Contains("live", table.Stdout);
        Assert.Contains(await server.EventsAsync(), e => e.Kind == "router.started");
    }

    [Fact]
    public async Task TheRouterRunsWithTieredCompilationAndDynamicPgo_TheServerWithout()
    {
        await using var server = await BerthServerProcess.StartAsync();

        var router = await WaitForRouterAsync(server, r => r.State == "live" && r.Pid is not null);

        // The server's runtimeconfig turns tiered compilation and dynamic PGO off; the supervisor gives both back to
        // the router, in the variables the runtime reads before the runtimeconfig.
        using var config = JsonDocument.Parse(File.ReadAllText(Path.ChangeExtension(RepoPaths.ServerDll, ".runtimeconfig.json")));
        var properties = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");
        Assert.False(properties.GetProperty("System.Runtime.TieredCompilation").GetBoolean());
        Assert.False(properties.GetProperty("System.Runtime.TieredPGO").GetBoolean());
        var routerEnvironment = EnvironmentOf(router.Pid!.Value);
        Assert.Contains("DOTNET_TieredCompilation=1", routerEnvironment);
        Assert.Contains("DOTNET_TieredPGO=1", routerEnvironment);
        Assert.Contains("DOTNET_ReadyToRunExcludeList=Yarp.ReverseProxy", routerEnvironment);
        Assert.DoesNotContain(EnvironmentOf(server.ServerPid), v => v.StartsWith("DOTNET_Tiered", StringComparison.Ordinal) || v.StartsWith("DOTNET_ReadyToRun", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FrontDoorsStart_WithoutLoadingOrWritingAnAspNetKeyRing()
    {
        // YARP registers data protection, whose hosted service loads (or creates) ~/.aspnet's key ring as each host
        // starts; Berth uses no affinity cookie, so a front door leaves that folder alone.
        using var home = new TempDirectory();
        using var dir = new TempDirectory();
        var compose = new RollingCompose(dir, LoopbackPort.Free(), Replicas: 1);
        await using var server = await BerthServerProcess.StartAsync(new Dictionary<string, string> { ["HOME"] = home.Path });
        var deploy = await server.CliAsync("deploy", "-c", compose.Write("1"), "web");
        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        await server.WaitForReplicasAsync("web", r => r.Count(x => x.Health == "healthy") == 1, TimeSpan.FromSeconds(40), "v1 healthy");

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        using var answer = await http.GetAsync(new Uri($"http://127.0.0.1:{compose.Port}/api/articles"));
        Assert.True(answer.IsSuccessStatusCode, answer.ToString());
        Assert.Equal(home.Path, EnvironmentOf(server.RouterPid!.Value).Single(v => v.StartsWith("HOME=", StringComparison.Ordinal))["HOME=".Length..]);
        Assert.False(Directory.Exists(Path.Combine(home.Path, ".aspnet")), string.Join(", ", Directory.EnumerateFileSystemEntries(home.Path, "*", SearchOption.AllDirectories)));
    }

    [Fact]
    public async Task ServerKilledUnderLoad_NoFailedRequest_ThenARollingUpdateCompletesThroughTheSameRouter()
    {
        using var dir = new TempDirectory();
        var compose = new RollingCompose(dir, LoopbackPort.Free(), Replicas: 2);
        await using var server = await DeployAsync(compose);
        var routerPid = server.RouterPid;

        var load = new LoadLoop(compose.Port, workers: 4, TimeSpan.FromSeconds(120));
        await WaitForTrafficAsync(load);
        await server.KillHardAsync();
        await Task.Delay(TimeSpan.FromSeconds(2));
        var whileDown = load.Snapshot();
        await server.RestartAsync();
        var update = await server.CliAsync("deploy", "-c", compose.Write("2"), "web");
        var result = await load.StopAsync();

        Assert.True(update.ExitCode == 0, update.ToString());
        Assert.True(whileDown.Ok > 0, "no request answered while the server was down");
        Assert.True(result.Failed == 0, $"{result.Failed} of {result.Ok + result.Failed} requests failed: {result.Failures}");
        Assert.Contains("2", result.Versions);
        Assert.Equal(routerPid, server.RouterPid);
        Assert.All(await server.ReplicasAsync("web"), r => Assert.Equal(2, r.Release));
    }

    [Fact]
    public async Task ControlPlaneDown_AReplicaKilled_TheRouterEjectsItAndNoRequestFails()
    {
        using var dir = new TempDirectory();
        var compose = new RollingCompose(dir, LoopbackPort.Free(), Replicas: 3);
        await using var server = await DeployAsync(compose);
        var victim = (await server.ReplicasAsync("web")).First();

        var load = new LoadLoop(compose.Port, workers: 4, TimeSpan.FromSeconds(60));
        await WaitForTrafficAsync(load);
        await server.KillHardAsync();
        BerthServerProcess.Signal(victim.Pid!.Value, "KILL");
        var before = load.Snapshot().Ok;
        var clock = Stopwatch.StartNew();
        while (load.Snapshot().Ok < before + 300 && clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(100);
        }

        var result = await load.StopAsync();
        await server.RestartAsync();

        Assert.True(result.Ok >= before + 300, $"only {result.Ok - before} requests answered after the replica was killed");
        Assert.True(result.Failed == 0, $"{result.Failed} of {result.Ok + result.Failed} requests failed: {result.Failures}");
    }

    [Fact]
    public async Task RouterKilled_TheServerStartsItAgain_AndThePortAnswersAgain()
    {
        using var dir = new TempDirectory();
        var compose = new RollingCompose(dir, LoopbackPort.Free(), Replicas: 1);
        await using var server = await DeployAsync(compose);
        var first = server.RouterPid!.Value;

        BerthServerProcess.Signal(first, "KILL");
        var again = await WaitForRouterAsync(server, r => r.State == "live" && r.Pid is { } pid && pid != first);

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        HttpResponseMessage? answer = null;
        while (answer is not { IsSuccessStatusCode: true } && clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            answer?.Dispose();
            try
            {
                answer = await http.GetAsync(new Uri($"http://127.0.0.1:{compose.Port}/api/articles"));
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100);
            }
        }

        Assert.True(answer is { IsSuccessStatusCode: true }, "the published port did not answer after the router was started again");
        answer.Dispose();
        Assert.Equal(again.Pid, server.RouterPid);
        Assert.Contains(await server.EventsAsync(), e => e.Kind == "router.restarted");
    }

    [Fact]
    public async Task RouterRestart_UnderManyNewConnections_NoneRefusedNoRequestFailed()
    {
        using var dir = new TempDirectory();
        var compose = new RollingCompose(dir, LoopbackPort.Free(), Replicas: 2);
        await using var server = await DeployAsync(compose);
        var before = await WaitForRouterAsync(server, r => r.State == "live" && r.Pid is not null);

        // Keep-alive clients, and clients opening a new connection for every request (what a swap of listeners hurts).
        var kept = new LoadLoop(compose.Port, workers: 4, TimeSpan.FromSeconds(90));
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var fresh = Enumerable.Range(0, 12).Select(_ => ConnectPerRequestAsync(compose.Port, stop.Token)).ToList();
        await WaitForTrafficAsync(kept);
        var restart = await server.CliAsync("router", "restart", "--json");
        await Task.Delay(TimeSpan.FromSeconds(1));
        await stop.CancelAsync();
        var connects = await Task.WhenAll(fresh);
        var keptResult = await kept.StopAsync();

        Assert.True(restart.ExitCode == 0, restart.ToString());
        using var json = JsonDocument.Parse(restart.Stdout);
        var newPid = json.RootElement.GetProperty("newPid").GetInt32();
        Assert.Equal(before.Pid, json.RootElement.GetProperty("oldPid").GetInt32());
        Assert.NotEqual(before.Pid, newPid);
        Assert.Equal(newPid, server.RouterPid);
        Assert.False(ProcessLiveness.IsAlive(before.Pid!.Value), "the old router still runs");
        var failed = connects.Sum(c => c.Failed);
        Assert.True(failed == 0, $"{failed} of {connects.Sum(c => c.Ok + c.Failed)} new-connection requests failed: {string.Join("; ", connects.SelectMany(c => c.Errors).Take(5))}");
        Assert.True(connects.Sum(c => c.Ok) > 100, $"only {connects.Sum(c => c.Ok)} new-connection requests made");
        Assert.True(keptResult.Failed == 0, $"{keptResult.Failed} of {keptResult.Ok + keptResult.Failed} keep-alive requests failed: {keptResult.Failures}");
        Assert.Contains(await server.EventsAsync(), e => e.Kind == "router.replaced");
        var after = await WaitForRouterAsync(server, r => r.State == "live" && r.Pid == newPid && !r.Behind);
        Assert.Equal(1, after.Services);
    }

    [Fact]
    public async Task RouterStop_StopsTheProcessAndItsPorts()
    {
        using var dir = new TempDirectory();
        var compose = new RollingCompose(dir, LoopbackPort.Free(), Replicas: 1);
        await using var server = await DeployAsync(compose);
        var pid = server.RouterPid!.Value;

        var stop = await server.CliAsync("router", "stop");

        Assert.True(stop.ExitCode == 0, stop.ToString());
        Assert.False(ProcessLiveness.IsAlive(pid), $"router {pid} still runs after `berth router stop`");
        Assert.Empty(await server.Http.GetFromJsonAsync<List<RouterInfo>>(ApiRoutes.Routers, ApiJson.Options) ?? []);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(new Uri($"http://127.0.0.1:{compose.Port}/api/articles")));
        Assert.Contains(await server.EventsAsync(), e => e.Kind == "router.stopped");
    }

    [Fact]
    public async Task RouterStartedWithNoControlPlane_ServesItsSavedRoutes()
    {
        using var dir = new TempDirectory();
        var compose = new RollingCompose(dir, LoopbackPort.Free(), Replicas: 1);
        await using var server = await DeployAsync(compose);
        var state = Path.Combine(server.DataDirectory, "routers", "local");
        await server.KillHardAsync();
        BerthServerProcess.Signal(server.RouterPid!.Value, "KILL");

        // The control plane is gone and stays gone: the router must answer from routes.json alone.
        var start = new ProcessStartInfo(RepoPaths.DotnetHost) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])[RepoPaths.CliDll, "router", "run", "--id", "local", "--server", $"http://127.0.0.1:{LoopbackPort.Free()}", "--token-file", Path.Combine(state, "router.token"), "--state", state])
        {
            start.ArgumentList.Add(arg);
        }

        File.Delete(Path.Combine(state, "control-plane"));
        using var router = Process.Start(start)!;
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            var clock = Stopwatch.StartNew();
            HttpResponseMessage? answer = null;
            while (answer is not { IsSuccessStatusCode: true } && clock.Elapsed < TimeSpan.FromSeconds(30) && !router.HasExited)
            {
                answer?.Dispose();
                answer = null;
                try
                {
                    answer = await http.GetAsync(new Uri($"http://127.0.0.1:{compose.Port}/api/articles"));
                }
                catch (HttpRequestException)
                {
                    await Task.Delay(100);
                }
            }

            Assert.True(answer is { IsSuccessStatusCode: true }, $"the router did not serve its saved routes (exited: {router.HasExited})");
            answer.Dispose();

            // `berth router run` handed over to the server executable (execv, same pid) with a router's runtime settings.
            Assert.Contains("DOTNET_TieredPGO=1", EnvironmentOf(router.Id));
            Assert.Contains("DOTNET_TieredCompilation=1", EnvironmentOf(router.Id));
            Assert.Contains("DOTNET_ReadyToRunExcludeList=Yarp.ReverseProxy", EnvironmentOf(router.Id));
        }
        finally
        {
            router.Kill(entireProcessTree: true);
            await router.WaitForExitAsync();
            await server.RestartAsync();
        }
    }

    private static async Task<BerthServerProcess> DeployAsync(RollingCompose compose)
    {
        var server = await BerthServerProcess.StartAsync();
        var deploy = await server.CliAsync("deploy", "-c", compose.Write("1"), "web");
        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        await server.WaitForReplicasAsync("web", r => r.Count(x => x.Health == "healthy") == compose.Replicas, TimeSpan.FromSeconds(40), "v1 healthy");
        return server;
    }

    /// <summary>GETs, each on a connection of its own, until cancelled; counts answers and failures.</summary>
    private static async Task<(int Ok, int Failed, List<string> Errors)> ConnectPerRequestAsync(int port, CancellationToken stop)
    {
        using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero }) { Timeout = TimeSpan.FromSeconds(10) };
        var (ok, failed, errors) = (0, 0, new List<string>());
        while (!stop.IsCancellationRequested)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"http://127.0.0.1:{port}/api/articles"));
                request.Headers.ConnectionClose = true;
                using var response = await http.SendAsync(request, CancellationToken.None);
                if (response.IsSuccessStatusCode)
                {
                    ok++;
                }
                else
                {
                    failed++;
                    errors.Add(((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
                }
            }
            catch (HttpRequestException exception)
            {
                failed++;
                errors.Add(exception.Message);
            }
        }

        return (ok, failed, errors);
    }

    private static async Task WaitForTrafficAsync(LoadLoop load)
    {
        var clock = Stopwatch.StartNew();
        while (load.Snapshot().Ok < 50 && clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(50);
        }
    }

    /// <summary>The environment a process was started with (/proc/PID/environ).</summary>
    private static string[] EnvironmentOf(int pid) =>
        File.ReadAllText($"/proc/{pid}/environ").Split('\0', StringSplitOptions.RemoveEmptyEntries);

    private static async Task<RouterInfo> WaitForRouterAsync(BerthServerProcess server, Func<RouterInfo, bool> condition)
    {
        var clock = Stopwatch.StartNew();
        IReadOnlyList<RouterInfo> last = [];
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            last = await server.Http.GetFromJsonAsync<List<RouterInfo>>(ApiRoutes.Routers, ApiJson.Options) ?? [];
            if (last.FirstOrDefault(condition) is { } router)
            {
                return router;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"no router as expected in 30 s; routers: {string.Join("; ", last)}\n{server.Output}");
    }
}
