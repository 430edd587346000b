using System.Diagnostics;
using Berth.Tests.Infrastructure;

namespace Berth.Tests.Security;

/// <summary>The server's local admin token: made at start, kept 0600, renewed when revoked or lost, readable only as the file system allows.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class LocalCredentialTests
{
    [Fact]
    public async Task Start_WritesAnOwnerOnlyAdminToken_TheLocalCliUsesWithoutSetup()
    {
        await using var server = await BerthServerProcess.StartAsync();
        var file = Path.Combine(server.DataDirectory, "local-admin.token");

        var whoami = await server.CliAsync("whoami");

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.True(whoami.ExitCode == 0, whoami.ToString());
        Assert.Contains("local-admin (admin)", whoami.Stdout);
        Assert.Contains($"the local server's admin token ({file})", whoami.Stdout);
    }

    [Fact]
    public async Task Restart_AfterTheLocalTokenWasRevoked_WritesANewOne()
    {
        await using var server = await BerthServerProcess.StartAsync();
        var old = server.AdminToken;
        Assert.Equal(0, (await server.CliAsync("token", "revoke", "local-admin")).ExitCode);

        await server.KillHardAsync();
        await server.RestartAsync();

        Assert.NotEqual(old, server.AdminToken);
        Assert.Equal(4, (await server.CliAsync(new Dictionary<string, string> { ["BERTH_TOKEN"] = old }, "service", "ls")).ExitCode);
        Assert.Equal(0, (await server.CliAsync("service", "ls")).ExitCode);
    }

    [Fact]
    public async Task Restart_AfterTheFileWasDeleted_WritesANewOneAndRevokesTheLost()
    {
        await using var server = await BerthServerProcess.StartAsync();
        var old = server.AdminToken;
        File.Delete(Path.Combine(server.DataDirectory, "local-admin.token"));

        await server.KillHardAsync();
        await server.RestartAsync();

        Assert.NotEqual(old, server.AdminToken);
        var lost = await server.CliAsync(new Dictionary<string, string> { ["BERTH_TOKEN"] = old }, "service", "ls");
        Assert.Equal(4, lost.ExitCode);
        Assert.Contains("revoked", lost.Stderr);
    }

    [RootFact]
    public async Task AnotherUser_CannotReadTheLocalToken_Exit4SayingSo()
    {
        await using var server = await BerthServerProcess.StartAsync();
        using var home = new TempDirectory("berth-nobody");
        File.SetUnixFileMode(home.Path, (UnixFileMode)0x1FF);

        var cli = CopyOfTheCli(home.Path);

        var run = await RunAsNobodyAsync(home.Path, cli, "service", "ls", "--host", server.Address.ToString());

        Assert.Equal(4, run.ExitCode);
        Assert.Contains("is not readable by this user", run.Stderr);
        Assert.Contains("berth token create", run.Stderr);
    }

    /// <summary>The built CLI copied where any user may run it (the clone may sit in a folder only root can enter).</summary>
    private static string CopyOfTheCli(string home)
    {
        var source = Path.GetDirectoryName(RepoPaths.CliDll)!;
        var target = Path.Combine(home, "cli");
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }

        foreach (var folder in Directory.EnumerateDirectories(target, "*", SearchOption.AllDirectories).Append(target))
        {
            File.SetUnixFileMode(folder, (UnixFileMode)0x1ED);
        }

        return Path.Combine(target, Path.GetFileName(RepoPaths.CliDll));
    }

    private static async Task<CliRun.Result> RunAsNobodyAsync(string home, string cliDll, params string[] args)
    {
        var psi = new ProcessStartInfo("setpriv") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])["--reuid=65534", "--regid=65534", "--clear-groups", RepoPaths.DotnetHostPath(), cliDll, .. args])
        {
            psi.ArgumentList.Add(arg);
        }

        psi.Environment["HOME"] = home;
        psi.Environment["DOTNET_CLI_HOME"] = home;
        psi.Environment["BERTH_CONFIG"] = Path.Combine(home, "config");
        psi.Environment["NO_COLOR"] = "1";
        foreach (var inherited in (string[])["BERTH_HOST", "BERTH_TOKEN", "BERTH_CONTEXT", "BERTH_TLS_CA"])
        {
            psi.Environment.Remove(inherited);
        }

        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return new CliRun.Result(process.ExitCode, await stdout, await stderr);
    }
}
