using Berth.Security;
using Berth.Spec;
using Berth.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace Berth.Tests.Security;

/// <summary>`berth server --exec-root`: host commands only from allowed folders, checked at deploy and at start.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class HostCommandPolicyTests
{
    [Fact]
    public void CheckService_NoRoots_AllowsEverything()
    {
        var policy = new HostCommandPolicy(Options.Create(new HostCommandOptions()));

        Assert.False(policy.IsRestricted);
        Assert.Empty(policy.CheckService(Service(["/usr/bin/sleep", "1"], "/tmp"), "process"));
    }

    [Fact]
    public void CheckService_ExecutableAndFolderUnderARoot_Allowed()
    {
        using var root = new TempDirectory("berth-root");
        var script = root.File("bin/run.sh", "#!/bin/sh\nexec sleep 1\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var policy = Restricted(root.Path);

        Assert.Empty(policy.CheckService(Service(["./bin/run.sh"], root.Path), "process"));
    }

    [Fact]
    public void CheckService_ExecutableFromPathOutsideTheRoots_RefusedNamingServiceKeyAndPath()
    {
        using var root = new TempDirectory("berth-root");
        var policy = Restricted(root.Path);

        var problem = Assert.Single(policy.CheckService(Service(["sleep", "1"], root.Path), "process"));

        Assert.Contains("service app: x-berth.process.command", problem);
        Assert.Contains("/sleep is outside the folders", problem);
        Assert.Contains(root.Path, problem);
    }

    [Fact]
    public void CheckService_DotDotOutOfTheRoot_Refused()
    {
        using var root = new TempDirectory("berth-root");
        var policy = Restricted(root.Path);

        var problems = policy.CheckService(Service(["../../bin/sh"], root.Path), "process");

        Assert.Contains(problems, p => p.Contains("/bin/sh is outside", StringComparison.Ordinal));
    }

    [Fact]
    public void CheckService_WorkingDirOutside_AndShellHealthcheck_AndSmoke_AllRefused()
    {
        using var root = new TempDirectory("berth-root");
        var policy = Restricted(root.Path);
        var spec = Service(["/bin/true"], "/tmp") with
        {
            Healthcheck = new HealthcheckSpec { Test = ["CMD-SHELL", "curl -f http://localhost/"] },
            Berth = new BerthServiceSpec
            {
                Process = new ProcessSpec { Command = ["/bin/true"], WorkingDir = "/tmp" },
                Strategy = new StrategySpec { BlueGreen = new BlueGreenSpec { PrePromotion = new PromotionGateSpec { Smoke = "curl $BERTH_PREVIEW_URL" } } },
            },
        };

        var problems = policy.CheckService(spec, "process");

        Assert.Contains(problems, p => p.Contains("x-berth.process.working_dir", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("healthcheck.test", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("smoke", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("x-berth.process.command", StringComparison.Ordinal));
    }

    [Fact]
    public void CheckService_OnSwarm_OnlyTheSmokeShellRunsOnTheHost()
    {
        using var root = new TempDirectory("berth-root");
        var policy = Restricted(root.Path);

        Assert.Empty(policy.CheckService(Service(["sleep", "1"], "/tmp") with { Image = "app:1" }, "swarm"));
    }

    [Fact]
    public async Task Deploy_CommandOutsideTheExecRoots_RefusedAndNothingStored()
    {
        using var root = new TempDirectory("berth-root");
        using var dir = new TempDirectory();
        await using var server = await BerthServerProcess.StartAsync("--exec-root", root.Path);
        var file = dir.File("docker-compose.yml", $$"""
            services:
              job:
                x-berth:
                  process:
                    command: "sleep 300"
                    working_dir: {{root.Path}}
            """);

        var deploy = await server.CliAsync("deploy", "-c", file, "outside");

        Assert.Equal(2, deploy.ExitCode);
        Assert.Contains("service outside_job: x-berth.process.command", deploy.Stderr);
        Assert.Contains("--exec-root", deploy.Stderr);
        Assert.Contains("[]", (await server.CliAsync("stack", "ls", "--json")).Stdout);
    }

    [Fact]
    public async Task Deploy_ScriptInsideTheExecRoot_Runs()
    {
        using var root = new TempDirectory("berth-root");
        var script = root.File("run.sh", "#!/bin/sh\nexec sleep 300\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        using var dir = new TempDirectory();
        await using var server = await BerthServerProcess.StartAsync("--exec-root", root.Path);
        var file = dir.File("docker-compose.yml", $$"""
            services:
              job:
                x-berth:
                  process:
                    command: ["./run.sh"]
                    working_dir: {{root.Path}}
            """);

        var deploy = await server.CliAsync("deploy", "-c", file, "inside");

        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        await server.WaitForReplicasAsync("inside", r => r.Any(x => x.State == "running"), TimeSpan.FromSeconds(30), "the script running");
    }

    [Fact]
    public async Task Server_ExecRootThatDoesNotExist_Exit2()
    {
        using var data = new TempDirectory("berth-data");

        var server = await CliRun.RunAsync(["server", "--data", data.Path, "--listen", "127.0.0.1:0", "--exec-root", "/no/such/folder"], timeout: TimeSpan.FromSeconds(30));

        Assert.Equal(2, server.ExitCode);
        Assert.Contains("--exec-root /no/such/folder: no such folder", server.Stderr);
    }

    private static HostCommandPolicy Restricted(params string[] roots) =>
        new(Options.Create(new HostCommandOptions { AllowedRoots = roots }));

    private static ServiceSpec Service(IReadOnlyList<string> command, string workingDir) => new()
    {
        Name = "app",
        Berth = new BerthServiceSpec { Process = new ProcessSpec { Command = command, WorkingDir = workingDir } },
    };
}
