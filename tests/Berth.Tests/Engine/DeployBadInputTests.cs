using System.Net;
using System.Net.Sockets;
using Berth.Tests.Infrastructure;

namespace Berth.Tests.Engine;

/// <summary>Bad input to a running server: a clear message, a non-zero exit, and nothing written.</summary>
public sealed class DeployBadInputTests
{
    [Fact]
    public async Task Deploy_PublishedPortTakenByAnotherProgram_RefusedAndNothingStored()
    {
        using var dir = new TempDirectory();
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;
        await using var server = await BerthServerProcess.StartAsync();
        var file = dir.File("docker-compose.yml", $$"""
            services:
              web:
                ports: ["{{port}}:8080"]
                x-berth:
                  process:
                    command: "sleep 60"
            """);

        var deploy = await server.CliAsync("deploy", "-c", file, "taken");

        Assert.NotEqual(0, deploy.ExitCode);
        Assert.Contains($"{port}", deploy.Stderr);
        Assert.Contains("in use", deploy.Stderr);
        Assert.Equal("[]", (await server.CliAsync("stack", "ls", "--json")).Stdout.Trim().Replace(" ", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal));
        Assert.Empty(await server.AppEventsAsync());
    }

    [Fact]
    public async Task Deploy_ImageOnlyServiceOnProcessRuntime_RefusedWithHowToFix()
    {
        using var dir = new TempDirectory();
        await using var server = await BerthServerProcess.StartAsync();
        var file = dir.File("docker-compose.yml", """
            services:
              db:
                image: postgres:16
            """);

        var deploy = await server.CliAsync("deploy", "-c", file, "imgonly");

        Assert.NotEqual(0, deploy.ExitCode);
        Assert.Contains("x-berth.process", deploy.Stderr);
        Assert.Contains("postgres:16", deploy.Stderr);
        Assert.DoesNotContain("   at ", deploy.Stderr);
    }

    [Fact]
    public async Task Deploy_ServiceAskingForAnotherRuntime_RefusedNamingTheKeyAndNothingStored()
    {
        using var dir = new TempDirectory();
        await using var server = await BerthServerProcess.StartAsync();
        var file = dir.File("docker-compose.yml", """
            services:
              web:
                image: articles:1
                x-berth:
                  runtime: swarm
                  process:
                    command: "sleep 60"
            """);

        var deploy = await server.CliAsync("deploy", "-c", file, "wantsswarm");

        Assert.NotEqual(0, deploy.ExitCode);
        var message = string.Join(' ', deploy.Stderr.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("service wantsswarm_web: x-berth.runtime is swarm, but this server runs the process runtime", message);
        Assert.Contains("berth server --runtime swarm", message);
        Assert.DoesNotContain("   at ", deploy.Stderr);
        Assert.Empty(await server.AppEventsAsync());
    }

    [Fact]
    public async Task Scale_UnknownService_RefusedAndOthersUnchanged()
    {
        using var dir = new TempDirectory();
        await using var server = await BerthServerProcess.StartAsync();
        var file = ComposeFiles.Shell(dir, "sleep 60", 1, "condition: any");
        Assert.Equal(0, (await server.CliAsync("deploy", "--detach", "-c", file, "s")).ExitCode);

        var scale = await server.CliAsync("scale", "s_job=3", "s_nope=2");

        Assert.NotEqual(0, scale.ExitCode);
        Assert.Contains("s_nope", scale.Stderr);
        Assert.Equal(1, (await server.ServiceAsync("s_job")).DesiredReplicas);
    }

    [Fact]
    public async Task Scale_NegativeCount_ExitTwoBeforeAnyRequest()
    {
        await using var server = await BerthServerProcess.StartAsync();

        var scale = await server.CliAsync("scale", "s_job=-1");

        Assert.Equal(2, scale.ExitCode);
    }

    [Fact]
    public async Task AnyCommand_ServerNotRunning_ExitThreeWithHowToStartIt()
    {
        using var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();

        var result = await CliRun.RunAsync(["service", "ls"], new Dictionary<string, string> { ["BERTH_HOST"] = $"http://127.0.0.1:{port}" });

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("berth server", result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
    }

    [Fact]
    public async Task Deploy_MalformedYaml_ExitTwoWithFileAndLine()
    {
        using var dir = new TempDirectory();
        await using var server = await BerthServerProcess.StartAsync();
        var file = dir.File("docker-compose.yml", "services:\n  web:\n    image: [unclosed\n");

        var deploy = await server.CliAsync("deploy", "-c", file, "broken");

        Assert.Equal(2, deploy.ExitCode);
        Assert.Contains("docker-compose.yml:", deploy.Stderr);
        Assert.Equal("[]", (await server.CliAsync("stack", "ls", "--json")).Stdout.Trim().Replace(" ", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Server_SecondServerOnSameData_Refused()
    {
        await using var server = await BerthServerProcess.StartAsync();

        var second = await CliRun.RunAsync(["server", "--data", Path.Combine(server.Data.Path, "data"), "--listen", "127.0.0.1:0"], timeout: TimeSpan.FromSeconds(30));

        Assert.Equal(1, second.ExitCode);
        Assert.Contains("already using", second.Stderr);
    }
}
