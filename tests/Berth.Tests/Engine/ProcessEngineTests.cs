using System.Diagnostics;
using System.Text.Json;
using Berth.Api;
using Berth.Tests.Infrastructure;

namespace Berth.Tests.Engine;

/// <summary>The engine on the process runtime, driven through the real CLI and server processes, with the real example app.</summary>
public sealed class ProcessEngineTests
{
    private static bool AllHealthy(IReadOnlyList<ReplicaInfo> replicas, int count) =>
        replicas.Count(r => r.State == "running" && r.Health == "healthy") == count && replicas.Count(r => r.DesiredState == "running" && r.State is "running" or "starting" or "pending") == count;

    [Fact]
    public async Task Deploy_ThreeReplicasOfExample_AllHealthyOnDistinctPortsAndServing()
    {
        using var dir = new TempDirectory();
        await using var server = await BerthServerProcess.StartAsync();
        var file = ComposeFiles.Articles(dir);

        var deploy = await server.CliAsync("deploy", "-c", file, "articles");

        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        var replicas = await server.WaitForReplicasAsync("articles", r => AllHealthy(r, 3), TimeSpan.FromSeconds(30), "3 healthy replicas");
        Assert.Equal(3, replicas.Select(r => r.Endpoint).Distinct().Count());
        Assert.Equal([1, 2, 3], replicas.Select(r => r.Slot).Order());
        using var http = new HttpClient();
        foreach (var replica in replicas)
        {
            var page = await http.GetStringAsync(new Uri($"http://{replica.Endpoint}/"));
            Assert.Contains(replica.Id, page);
        }
    }

    [Fact]
    public async Task KillNineOfReplica_Replaced_HealthyWithinRestartDelayPlusTwoSeconds()
    {
        using var dir = new TempDirectory();
        await using var server = await BerthServerProcess.StartAsync();
        Assert.Equal(0, (await server.CliAsync("deploy", "-c", ComposeFiles.Articles(dir), "articles")).ExitCode);
        var before = await server.WaitForReplicasAsync("articles", r => AllHealthy(r, 3), TimeSpan.FromSeconds(30), "3 healthy replicas");
        var victim = before.First(r => r.Slot == 2);

        var killedAt = DateTimeOffset.UtcNow;
        BerthServerProcess.Signal(victim.Pid!.Value, "KILL");
        var after = await server.WaitForReplicasAsync(
            "articles",
            r => AllHealthy(r, 3) && r.All(x => x.Id != victim.Id),
            TimeSpan.FromSeconds(30),
            "slot 2 replaced");

        // Berth's part is noticing the exit and starting the replacement (delay 1s + at most 2s); how long the app
        // then takes to answer its health check is the app's own start-up, measured by bench/restart.
        var started = (await server.EventsAsync()).Single(e => e.Kind == "replica.started" && e.Replica!.StartsWith("articles_app.2.", StringComparison.Ordinal) && e.Replica != victim.Id);
        Assert.True(started.Time - killedAt < TimeSpan.FromSeconds(1 + 2), $"replacement started {started.Time - killedAt} after the kill");
        var replacement = after.Single(r => r.Slot == 2);
        Assert.Equal(1, replacement.Restarts);
        Assert.NotEqual(victim.Pid, replacement.Pid);
        var events = await server.EventsAsync();
        Assert.Contains(events, e => e.Kind == "replica.exited" && e.Replica == victim.Id && e.Message.Contains("137", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Scale_ThreeToFiveToOne_RunsExactlyThatMany()
    {
        using var dir = new TempDirectory();
        await using var server = await BerthServerProcess.StartAsync();
        Assert.Equal(0, (await server.CliAsync("deploy", "-c", ComposeFiles.Articles(dir), "articles")).ExitCode);
        await server.WaitForReplicasAsync("articles", r => AllHealthy(r, 3), TimeSpan.FromSeconds(30), "3 healthy");

        var up = await server.CliAsync("scale", "articles_app=5");
        Assert.True(up.ExitCode == 0, up.ToString());
        var five = await server.WaitForReplicasAsync("articles", r => AllHealthy(r, 5), TimeSpan.FromSeconds(30), "5 healthy");
        Assert.Equal([1, 2, 3, 4, 5], five.Select(r => r.Slot).Order());

        var down = await server.CliAsync("scale", "articles_app=1");
        Assert.True(down.ExitCode == 0, down.ToString());
        var one = await server.WaitForReplicasAsync("articles", r => AllHealthy(r, 1) && r.Count == 1, TimeSpan.FromSeconds(30), "1 replica");
        Assert.Equal(1, one.Single().Slot);
        var stopped = five.Where(r => r.Slot > 1).Select(r => r.Pid!.Value).ToList();
        Assert.All(stopped, pid => Assert.False(Directory.Exists($"/proc/{pid}"), $"pid {pid} still alive after scale down"));
    }

    [Fact]
    public async Task CrashingCommand_MaxAttemptsThree_StopsAfterThreeRestartsAndSaysWhy()
    {
        using var dir = new TempDirectory();
        await using var server = await BerthServerProcess.StartAsync();
        var file = ComposeFiles.Shell(dir, "echo boom; exit 3", 1, "condition: on-failure\n        delay: 0s\n        max_attempts: 3");

        Assert.Equal(0, (await server.CliAsync("deploy", "--detach", "-c", file, "crash")).ExitCode);

        var deadline = Stopwatch.StartNew();
        ServiceInfo service;
        do
        {
            await Task.Delay(200);
            service = await server.ServiceAsync("crash_job");
        }
        while (service.Status != "failed" && deadline.Elapsed < TimeSpan.FromSeconds(20));

        Assert.Equal("failed", service.Status);
        Assert.Contains("max_attempts 3", service.StatusReason);
        var all = await server.ReplicasAsync("crash", all: true);
        Assert.Equal(4, all.Count); // the first run plus 3 restarts
        Assert.All(all, r => Assert.Equal(3, r.ExitCode));
        await Task.Delay(1500);
        Assert.Equal(4, (await server.ReplicasAsync("crash", all: true)).Count);
        var ls = await server.CliAsync("service", "ls");
        Assert.Contains("failed", ls.Stdout);
    }

    [Fact]
    public async Task ConditionNone_ExitedReplica_NeverRestarted()
    {
        using var dir = new TempDirectory();
        await using var server = await BerthServerProcess.StartAsync();
        var file = ComposeFiles.Shell(dir, "echo done; exit 1", 2, "condition: none\n        delay: 0s");

        Assert.Equal(0, (await server.CliAsync("deploy", "--detach", "-c", file, "once")).ExitCode);
        await server.WaitForReplicasAsync("once", r => r.Count == 2 && r.All(x => x.State == "exited"), TimeSpan.FromSeconds(15), "both exited");
        await Task.Delay(2000);

        var all = await server.ReplicasAsync("once", all: true);
        Assert.Equal(2, all.Count);
        var service = await server.ServiceAsync("once_job");
        Assert.Equal("degraded", service.Status);
        Assert.Contains("condition none", service.StatusReason);
    }

    [Fact]
    public async Task NewReleaseCrashingOnStart_OldReplicasKeepServing()
    {
        using var dir = new TempDirectory();
        await using var server = await BerthServerProcess.StartAsync();
        Assert.Equal(0, (await server.CliAsync("deploy", "-c", ComposeFiles.Articles(dir, restart: "condition: any\n        delay: 0s"), "articles")).ExitCode);
        var v1 = await server.WaitForReplicasAsync("articles", r => AllHealthy(r, 3), TimeSpan.FromSeconds(30), "3 healthy");

        var deploy = await server.CliAsync("deploy", "--detach", "-c", ComposeFiles.Articles(dir, restart: "condition: any\n        delay: 0s", version: "3", crashOnStart: true), "articles");
        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        await Task.Delay(TimeSpan.FromSeconds(6));

        var now = await server.ReplicasAsync("articles");
        var stillServing = now.Where(r => r.Release == 1 && r.State == "running" && r.Health == "healthy").ToList();
        Assert.True(stillServing.Count >= 2, $"only {stillServing.Count} v1 replicas left: {string.Join(", ", now.Select(r => $"{r.Id}:{r.Release}:{r.State}"))}");
        Assert.All(stillServing, r => Assert.Contains(v1, x => x.Id == r.Id));
        Assert.NotEqual("running", (await server.ServiceAsync("articles_app")).Status);
    }

    [Fact]
    public async Task ServerKilledAndRestarted_SameReplicasAdopted_NoDuplicates()
    {
        using var dir = new TempDirectory();
        await using var server = await BerthServerProcess.StartAsync();
        Assert.Equal(0, (await server.CliAsync("deploy", "-c", ComposeFiles.Articles(dir), "articles")).ExitCode);
        var before = await server.WaitForReplicasAsync("articles", r => AllHealthy(r, 3), TimeSpan.FromSeconds(30), "3 healthy");

        await server.KillHardAsync();
        await server.RestartAsync();

        await Task.Delay(1500);
        var after = await server.WaitForReplicasAsync("articles", r => AllHealthy(r, 3), TimeSpan.FromSeconds(30), "3 healthy after restart");
        Assert.Equal(before.Select(r => (r.Id, r.Pid)).Order(), after.Select(r => (r.Id, r.Pid)).Order());
        Assert.Equal(3, (await server.ReplicasAsync("articles", all: true)).Count);
        Assert.Contains(await server.EventsAsync(), e => e.Kind == "replica.adopted");
    }

    [Fact]
    public async Task ServerKilled_ReplicaDiesMeanwhile_ReplacedAfterRestart()
    {
        using var dir = new TempDirectory();
        await using var server = await BerthServerProcess.StartAsync();
        Assert.Equal(0, (await server.CliAsync("deploy", "-c", ComposeFiles.Articles(dir, replicas: 2), "articles")).ExitCode);
        var before = await server.WaitForReplicasAsync("articles", r => AllHealthy(r, 2), TimeSpan.FromSeconds(30), "2 healthy");

        await server.KillHardAsync();
        BerthServerProcess.Signal(-before[0].Pid!.Value, "KILL");
        await server.RestartAsync();

        var after = await server.WaitForReplicasAsync("articles", r => AllHealthy(r, 2) && r.All(x => x.Id != before[0].Id), TimeSpan.FromSeconds(30), "lost replica replaced");
        Assert.Contains(after, r => r.Id == before[1].Id && r.Pid == before[1].Pid);
    }

    [Fact]
    public async Task ReplicaKill_ViaCli_ReplacedPerPolicy()
    {
        using var dir = new TempDirectory();
        await using var server = await BerthServerProcess.StartAsync();
        Assert.Equal(0, (await server.CliAsync("deploy", "-c", ComposeFiles.Articles(dir, replicas: 2), "articles")).ExitCode);
        var before = await server.WaitForReplicasAsync("articles", r => AllHealthy(r, 2), TimeSpan.FromSeconds(30), "2 healthy");

        var kill = await server.CliAsync("replica", "kill", before[0].Id);

        Assert.True(kill.ExitCode == 0, kill.ToString());
        await server.WaitForReplicasAsync("articles", r => AllHealthy(r, 2) && r.All(x => x.Id != before[0].Id), TimeSpan.FromSeconds(20), "killed replica replaced");
        Assert.NotEqual(0, (await server.CliAsync("replica", "kill", "articles_app.9.nothere")).ExitCode);
    }

    [Fact]
    public async Task Rm_Stack_StopsEveryProcessAndForgetsIt()
    {
        using var dir = new TempDirectory();
        await using var server = await BerthServerProcess.StartAsync();
        Assert.Equal(0, (await server.CliAsync("deploy", "-c", ComposeFiles.Articles(dir, replicas: 2), "articles")).ExitCode);
        var replicas = await server.WaitForReplicasAsync("articles", r => AllHealthy(r, 2), TimeSpan.FromSeconds(30), "2 healthy");

        var rm = await server.CliAsync("rm", "articles");

        Assert.True(rm.ExitCode == 0, rm.ToString());
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(20) && (await server.CliAsync("stack", "ls", "--json")).Stdout.Contains("articles", StringComparison.Ordinal))
        {
            await Task.Delay(200);
        }

        Assert.All(replicas, r => Assert.False(Directory.Exists($"/proc/{r.Pid}"), $"pid {r.Pid} still alive"));
        Assert.NotEqual(0, (await server.CliAsync("ps", "articles")).ExitCode);
    }

    [Fact]
    public async Task PsJson_DocumentedShape()
    {
        using var dir = new TempDirectory();
        await using var server = await BerthServerProcess.StartAsync();
        Assert.Equal(0, (await server.CliAsync("deploy", "-c", ComposeFiles.Articles(dir, replicas: 1), "articles")).ExitCode);
        await server.WaitForReplicasAsync("articles", r => AllHealthy(r, 1), TimeSpan.FromSeconds(30), "1 healthy");

        var ps = await server.CliAsync("ps", "articles", "--json");

        Assert.True(ps.ExitCode == 0, ps.ToString());
        using var json = JsonDocument.Parse(ps.Stdout);
        var replica = json.RootElement.EnumerateArray().Single();
        foreach (var property in new[] { "id", "service", "stack", "slot", "release", "desiredState", "state", "health", "endpoint", "pid", "restarts" })
        {
            Assert.True(replica.TryGetProperty(property, out _), $"ps --json lacks {property}: {ps.Stdout}");
        }

        Assert.Equal("articles_app", replica.GetProperty("service").GetString());
        Assert.Equal("healthy", replica.GetProperty("health").GetString());
    }

    [Fact]
    public async Task Logs_ShowReplicaOutput_WithPortSubstituted()
    {
        using var dir = new TempDirectory();
        await using var server = await BerthServerProcess.StartAsync();
        var file = ComposeFiles.Shell(dir, "echo listening on $PORT; sleep 60", 1, "condition: any\n        delay: 0s");
        Assert.Equal(0, (await server.CliAsync("deploy", "-c", file, "echo")).ExitCode);
        var replica = (await server.WaitForReplicasAsync("echo", r => r.Count == 1 && r[0].State == "running", TimeSpan.FromSeconds(15), "running")).Single();

        CliRun.Result logs;
        var deadline = Stopwatch.StartNew();
        do
        {
            logs = await server.CliAsync("logs", "echo_job");
        }
        while (!logs.Stdout.Contains("listening on", StringComparison.Ordinal) && deadline.Elapsed < TimeSpan.FromSeconds(10));

        var port = replica.Endpoint!.Split(':')[1];
        Assert.Contains($"listening on {port}", logs.Stdout);
        Assert.Contains(replica.Id, logs.Stdout);
    }
}
