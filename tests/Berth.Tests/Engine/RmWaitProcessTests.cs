using System.Diagnostics;
using Berth.Api;
using Berth.Tests.Infrastructure;

namespace Berth.Tests.Engine;

/// <summary>`berth rm` against a real server on the process runtime: it returns only once the replica processes are gone.</summary>
public sealed class RmWaitProcessTests
{
    [Fact]
    public async Task Rm_ReplicasTakeASecondToStop_ReturnsOnlyAfterEveryProcessIsGone()
    {
        using var dir = new TempDirectory();
        await using var server = await BerthServerProcess.StartAsync();
        var file = SlowStopper(dir, replicas: 2, onTerm: "sleep 1; exit 0", stopGracePeriod: "10s");
        Assert.Equal(0, (await server.CliAsync("deploy", "-c", file, "jobs")).ExitCode);
        var replicas = await server.WaitForReplicasAsync("jobs", r => r.Count(x => x.State == "running" && x.Pid is not null) == 2, TimeSpan.FromSeconds(30), "2 running");

        var rm = await server.CliAsync("rm", "jobs");

        Assert.True(rm.ExitCode == 0, rm.ToString());
        Assert.All(replicas, r => Assert.False(ProcessLiveness.IsAlive(r.Pid!.Value), $"pid {r.Pid} still alive after rm returned\n{rm}"));
        Assert.Contains("Removing service jobs_job: 2 replicas left", rm.Stdout);
        Assert.EndsWith("Stack jobs removed: no replica left.\n", rm.Stdout.ReplaceLineEndings("\n"));
        Assert.DoesNotContain("jobs", (await server.CliAsync("stack", "ls", "--json")).Stdout);
    }

    [Fact]
    public async Task RmDetach_ReplicaTakesSecondsToStop_ReturnsWhileItStillRuns()
    {
        using var dir = new TempDirectory();
        await using var server = await BerthServerProcess.StartAsync();
        var file = SlowStopper(dir, replicas: 1, onTerm: "sleep 5; exit 0", stopGracePeriod: "20s");
        Assert.Equal(0, (await server.CliAsync("deploy", "-c", file, "jobs")).ExitCode);
        var replica = (await server.WaitForReplicasAsync("jobs", r => r.Any(x => x.State == "running" && x.Pid is not null), TimeSpan.FromSeconds(30), "1 running")).Single();

        var rm = await server.CliAsync("rm", "--detach", "jobs");

        Assert.True(rm.ExitCode == 0, rm.ToString());
        Assert.True(ProcessLiveness.IsAlive(replica.Pid!.Value), $"pid {replica.Pid} already gone: --detach should not have waited\n{rm}");
        Assert.Contains("Removing stack jobs: the server stops its replicas in the background", rm.Stdout);

        // The server finishes the removal on its own.
        var deadline = Stopwatch.StartNew();
        while (ProcessLiveness.IsAlive(replica.Pid.Value) && deadline.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(100);
        }

        Assert.False(ProcessLiveness.IsAlive(replica.Pid.Value), $"pid {replica.Pid} still alive 20s after rm --detach");
    }

    [Fact]
    public async Task Rm_ReplicaIgnoresTermWithLongGrace_TimesOutNamingStackAndReplica()
    {
        using var dir = new TempDirectory();
        await using var server = await BerthServerProcess.StartAsync();
        var file = SlowStopper(dir, replicas: 1, onTerm: null, stopGracePeriod: "60s");
        Assert.Equal(0, (await server.CliAsync("deploy", "-c", file, "jobs")).ExitCode);
        var replica = (await server.WaitForReplicasAsync("jobs", r => r.Any(x => x.State == "running" && x.Pid is not null), TimeSpan.FromSeconds(30), "1 running")).Single();
        try
        {
            var rm = await server.CliAsync("rm", "jobs", "--timeout", "2s");

            Assert.True(rm.ExitCode == 1, rm.ToString());
            Assert.Equal(
                $"error: timed out after 2s waiting for stack jobs to be removed (1 replica still running: {replica.Id} pid {replica.Pid}); "
                + "the server goes on stopping them: check with `berth ps jobs`.",
                rm.Stderr.Trim());
            Assert.True(ProcessLiveness.IsAlive(replica.Pid!.Value), $"pid {replica.Pid} gone, yet rm timed out");
        }
        finally
        {
            // Do not wait out the 60 s grace period: once the process is gone the server completes the removal.
            BerthServerProcess.Signal(-replica.Pid!.Value, "KILL");
        }
    }

    /// <summary>A shell replica that runs on SIGTERM <paramref name="onTerm"/> (null: ignores SIGTERM), without healthcheck.</summary>
    private static string SlowStopper(TempDirectory dir, int replicas, string? onTerm, string stopGracePeriod) =>
        dir.File("docker-compose.yml", $$"""
            services:
              job:
                deploy:
                  replicas: {{replicas}}
                stop_grace_period: {{stopGracePeriod}}
                x-berth:
                  process:
                    command: "trap '{{onTerm ?? string.Empty}}' TERM; while true; do sleep 0.2; done"
            """);
}
