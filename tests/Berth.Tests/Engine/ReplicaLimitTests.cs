using Berth.Tests.Infrastructure;

namespace Berth.Tests.Engine;

/// <summary>The server's replica cap (`berth server --max-replicas`, default 1000) at deploy and at scale: 400, the numbers, nothing written.</summary>
public sealed class ReplicaLimitTests
{
    [Fact]
    public async Task Deploy_ReplicasAboveTheDefaultLimit_RefusedNamingServiceCountAndLimitNothingWritten()
    {
        using var dir = new TempDirectory();
        await using var server = await BerthServerProcess.StartAsync();
        var file = ComposeFiles.Shell(dir, "sleep 60", 100000, "condition: any");

        var deploy = await server.CliAsync("deploy", "-c", file, "big");

        Assert.True(deploy.ExitCode == 2, deploy.ToString());
        Assert.Contains(
            "service big_job: deploy.replicas is 100000, more than this server's limit of 1000 replicas per service (berth server --max-replicas)",
            deploy.Stderr);
        Assert.Equal("[]", Compact((await server.CliAsync("stack", "ls", "--json")).Stdout));
        Assert.DoesNotContain(await server.EventsAsync(), e => !e.Kind.StartsWith("router.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Deploy_SeveralCountsAboveASetLimit_EveryOneReportedAtOnce()
    {
        using var dir = new TempDirectory();
        await using var server = await BerthServerProcess.StartAsync("--max-replicas", "3");
        var file = dir.File("docker-compose.yml", """
            services:
              web:
                deploy:
                  replicas: 4
                x-berth:
                  process:
                    command: "sleep 60"
              api:
                deploy:
                  replicas: 3
                x-berth:
                  process:
                    command: "sleep 60"
                  strategy: canary
                  canary:
                    steps:
                      - replicas: 5
                      - weight: 50
            """);

        var deploy = await server.CliAsync("deploy", "-c", file, "lim");

        Assert.True(deploy.ExitCode == 2, deploy.ToString());
        Assert.Contains("service lim_web: deploy.replicas is 4, more than this server's limit of 3 replicas per service", deploy.Stderr);
        Assert.Contains("service lim_api: x-berth.canary.steps[0].replicas is 5, more than this server's limit of 3 replicas per service", deploy.Stderr);
        Assert.DoesNotContain("lim_api: deploy.replicas", deploy.Stderr);
        Assert.DoesNotContain(await server.EventsAsync(), e => !e.Kind.StartsWith("router.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Scale_AboveTheLimit_RefusedAndNothingChanged_AtTheLimitAccepted()
    {
        using var dir = new TempDirectory();
        await using var server = await BerthServerProcess.StartAsync("--max-replicas", "3");
        Assert.Equal(0, (await server.CliAsync("deploy", "-d", "-c", ComposeFiles.Shell(dir, "sleep 60", 1, "condition: any"), "s")).ExitCode);

        var over = await server.CliAsync("scale", "s_job=4");

        Assert.True(over.ExitCode == 2, over.ToString());
        Assert.Contains("s_job: replicas is 4, more than this server's limit of 3 replicas per service (berth server --max-replicas)", over.Stderr);
        Assert.Equal(1, (await server.ServiceAsync("s_job")).DesiredReplicas);
        Assert.DoesNotContain(await server.EventsAsync(), e => e.Kind == "service.scaled");

        var atLimit = await server.CliAsync("scale", "s_job=3");

        Assert.True(atLimit.ExitCode == 0, atLimit.ToString());
        Assert.Equal(3, (await server.ServiceAsync("s_job")).DesiredReplicas);
    }

    private static string Compact(string json) =>
        json.Trim().Replace(" ", string.Empty, StringComparison.Ordinal).Replace("\n", string.Empty, StringComparison.Ordinal);
}
