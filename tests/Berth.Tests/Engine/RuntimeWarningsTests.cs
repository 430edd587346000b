using System.Text.Json;
using Berth.Api;
using Berth.Tests.Infrastructure;

namespace Berth.Tests.Engine;

/// <summary>A real server on the process runtime warns, at deploy, about the keys it keeps in the release without applying.</summary>
public sealed class RuntimeWarningsTests
{
    [Fact]
    public async Task Deploy_KeysTheProcessRuntimeDoesNotApply_WarnedOnStderrAndInTheJsonDeployStillDone()
    {
        using var dir = new TempDirectory();
        await using var server = await BerthServerProcess.StartAsync();
        var file = dir.File("docker-compose.yml", """
            services:
              app:
                image: articles:1
                labels: {team: web}
                depends_on: [db]
                healthcheck:
                  test: ["CMD", "curl", "-fsS", "http://127.0.0.1:8080/healthz"]
                deploy:
                  resources:
                    limits: {cpus: "0.5", memory: 256M}
                  placement:
                    constraints: [node.role == manager]
                x-berth:
                  process:
                    command: "sleep 60"
                  health:
                    http_path: /healthz
              db:
                x-berth:
                  process:
                    command: "sleep 60"
            """);

        var deploy = await server.CliAsync("deploy", "-d", "--json", "-c", file, "warn");

        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        var lines = deploy.Stderr.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(
            [
                "warning: services.app.labels: not applied on the process runtime (replicas are plain processes: nothing to label); kept in the release",
                "warning: services.app.deploy.resources: not applied on the process runtime (replicas are plain processes: no CPU, memory or pids limit); kept in the release",
                "warning: services.app.deploy.placement: not applied on the process runtime (one local node: nothing to place); kept in the release",
            ],
            lines);
        var response = JsonSerializer.Deserialize<DeployResponse>(deploy.Stdout, ApiJson.Options)!;
        Assert.All(response.Warnings, w => Assert.Equal("warn_app", w.Service));
        Assert.Equal(["services.app.labels", "services.app.deploy.resources", "services.app.deploy.placement"], response.Warnings.Select(w => w.Key));
        Assert.Equal(2, response.Services.Count);
    }
}
