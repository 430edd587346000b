using Berth.Tests.Infrastructure;
using Berth.Tests.Rollouts;

namespace Berth.Tests.Cli;

/// <summary>promote, abort and rollout report through the real server (its DI, endpoints and error mapping).</summary>
public sealed class ReportEndToEndTests
{
    [Fact]
    public async Task RollingRollout_PromoteAbortConflictAndReportByRelease()
    {
        using var dir = new TempDirectory();
        var compose = new RollingCompose(dir, LoopbackPort.Free(), Replicas: 1);
        await using var server = await BerthServerProcess.StartAsync();
        Assert.Equal(0, (await server.CliAsync("deploy", "-c", compose.Write("1"), "web")).ExitCode);
        var second = await server.CliAsync("deploy", "-c", compose.Write("2"), "web");
        Assert.True(second.ExitCode == 0, second.ToString());

        var promote = await server.CliAsync("promote", "web_app");
        var abort = await server.CliAsync("abort", "web_app");
        var noReport = await server.CliAsync("rollout", "report", "web_app");
        var report = await server.CliAsync("rollout", "report", "web_app", "2");
        var unknown = await server.CliAsync("promote", "nope_app");

        Assert.Equal(1, promote.ExitCode);
        Assert.Contains("service web_app has no blue/green or canary rollout waiting: its latest rollout #1 is completed", promote.Stderr);
        Assert.Equal(1, abort.ExitCode);
        Assert.Contains("nothing to abort: rollout #1 of web_app is completed", abort.Stderr);
        Assert.Equal(1, noReport.ExitCode);
        Assert.Contains("no blue/green or canary rollout", noReport.Stderr);
        Assert.True(report.ExitCode == 0, report.ToString());
        Assert.Contains("# Rollout report: web_app, release 1 → 2 (rolling)", report.Stdout);
        Assert.Contains("update_config: parallelism 1", report.Stdout);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("no service named nope_app", unknown.Stderr);
    }
}
