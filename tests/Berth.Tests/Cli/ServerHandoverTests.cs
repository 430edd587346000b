using System.Diagnostics;
using Berth.Cli.Commands.Server;
using Berth.Tests.Infrastructure;

namespace Berth.Tests.Cli;

/// <summary>`berth server` checks its options in the client, then hands its process over to the server executable.</summary>
public sealed class ServerHandoverTests
{
    private static readonly Dictionary<string, string> NoVariables = [];

    [Fact]
    public async Task Server_ThroughTheClient_BecomesTheServerWithTheSamePidDiagnosableAndStopsCleanlyOnSigterm()
    {
        using var data = new TempDirectory("berth-handover");
        var start = new ProcessStartInfo(RepoPaths.DotnetHost) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])[RepoPaths.CliDll, "server", "--data", Path.Combine(data.Path, "data"), "--listen", "127.0.0.1:0"])
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var listening = await ReadUntilAsync(process.StandardOutput, "listening on ", TimeSpan.FromSeconds(30));
        var commandLine = (await File.ReadAllTextAsync($"/proc/{process.Id}/cmdline")).Split('\0');
        var diagnostics = await DiagnosticsAnswerAsync(process.Id);
        BerthServerProcess.Signal(process.Id, "TERM");
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await process.WaitForExitAsync(wait.Token);

        Assert.Contains("Berth server listening on http://127.0.0.1:", listening);
        Assert.Contains(commandLine, arg => arg.EndsWith(ServerExecutable.AssemblyName, StringComparison.Ordinal));
        Assert.Equal(["--data", Path.Combine(data.Path, "data"), "--listen", "127.0.0.1:0", "--runtime", "process", "--routers", "local"], commandLine.SkipWhile(a => !a.EndsWith(ServerExecutable.AssemblyName, StringComparison.Ordinal)).Skip(1).Where(a => a.Length > 0));
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {await stderr}");
        Assert.True(diagnostics, "the server's runtime does not listen for diagnostic tools (dotnet-counters, dotnet-gcdump) on its socket");
    }

    [Fact]
    public async Task Server_HelpAndBadOptions_AnsweredByTheClientWithoutAServer()
    {
        var help = await CliRun.RunAsync(new CliRunOptions(), "server", "--help");
        var bad = await CliRun.RunAsync(new CliRunOptions(), "server", "--listen", "nowhere");

        Assert.Equal(0, help.ExitCode);
        Assert.Contains("--exec-root", help.Out);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--listen: 'nowhere' is not ADDRESS:PORT", bad.Error);
    }

    [Theory]
    [InlineData("--routers global runs a router on every node of a Swarm: it needs --runtime swarm", "--routers", "global")]
    [InlineData("--routers: 'everywhere' is not one of local, global.", "--runtime", "swarm", "--routers", "everywhere")]
    [InlineData("--router-image is the image of the global routers: give it with --routers global.", "--router-image", "r:1")]
    public async Task Server_RoutersOptionsThatCannotWork_ExitTwoSayingWhatWouldBeValid(string message, params string[] options)
    {
        var launcher = new RecordingLauncher();

        var run = await CliRun.RunAsync(new CliRunOptions { ServerLauncher = launcher }, ["server", .. options]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.Error);
        Assert.Empty(launcher.Arguments);
    }

    [Fact]
    public async Task Server_ValidOptions_LauncherGetsTheParsedSettings()
    {
        var launcher = new RecordingLauncher();

        var run = await CliRun.RunAsync(
            new CliRunOptions { ServerLauncher = launcher },
            "server", "--data", "d", "--listen", "0.0.0.0:7443", "--runtime=swarm", "--routers", "global", "--router-image", "r:1", "--max-replicas", "50", "--tls-cert", "c.pem", "--tls-key", "k.pem", "--insecure", "--exec-root", "/a", "--exec-root", "/b");

        Assert.Equal(7, run.ExitCode);
        Assert.Equal(
            ["--data", "d", "--listen", "0.0.0.0:7443", "--runtime", "swarm", "--routers", "global", "--router-image", "r:1", "--max-replicas", "50", "--tls-cert", "c.pem", "--tls-key", "k.pem", "--insecure", "--exec-root", "/a", "--exec-root", "/b"],
            launcher.Arguments);
    }

    [Fact]
    public void Find_PackagedServerBesideTheClient_RunsItDirectly()
    {
        using var folder = new TempDirectory("berth-package");
        var packaged = folder.File(ServerExecutable.PackagedName, "");
        folder.File(ServerExecutable.AssemblyName, "");

        var server = ServerExecutable.Find(NoVariables, folder.Path, out _);

        Assert.Equal(packaged, server!.Program);
        Assert.Empty(server.LeadingArguments);
    }

    [Fact]
    public void Find_BuildLayout_RunsTheServerAssemblyWithTheDotnetHost()
    {
        using var artifacts = new TempDirectory("berth-artifacts");
        var client = Path.Combine(artifacts.Path, "Berth.Cli", "release");
        Directory.CreateDirectory(client);
        var assembly = artifacts.File(Path.Combine("Berth.Server", "release", ServerExecutable.AssemblyName), "");

        var server = ServerExecutable.Find(NoVariables, client, out _);

        Assert.NotNull(server);
        Assert.Equal("dotnet", Path.GetFileNameWithoutExtension(server.Program));
        Assert.Equal([assembly], server.LeadingArguments);
    }

    [Fact]
    public void Find_BerthServerVariable_WinsOverTheFolders()
    {
        using var folder = new TempDirectory("berth-package");
        folder.File(ServerExecutable.PackagedName, "");
        var named = folder.File(Path.Combine("elsewhere", "my-server"), "");

        var server = ServerExecutable.Find(new Dictionary<string, string> { [ServerExecutable.Variable] = named }, folder.Path, out _);
        var missing = ServerExecutable.Find(new Dictionary<string, string> { [ServerExecutable.Variable] = "/no/such/server" }, folder.Path, out var searched);

        Assert.Equal(named, server!.Program);
        Assert.Null(missing);
        Assert.Equal(["BERTH_SERVER=/no/such/server"], searched);
    }

    [Fact]
    public void Find_NoServerAnywhere_NamesWhereItLooked()
    {
        using var folder = new TempDirectory("berth-empty");

        Assert.Null(ServerExecutable.Find(NoVariables, folder.Path, out var searched));
        Assert.Equal(3, searched.Count);
        Assert.Contains(Path.Combine(folder.Path, ServerExecutable.PackagedName), searched);
    }

    /// <summary>Whether the runtime of process <paramref name="pid"/> accepts a diagnostic tool's connection on its socket.</summary>
    private static async Task<bool> DiagnosticsAnswerAsync(int pid)
    {
        foreach (var path in Directory.EnumerateFiles(Path.GetTempPath(), $"dotnet-diagnostic-{pid}-*-socket"))
        {
            using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
            try
            {
                await socket.ConnectAsync(new System.Net.Sockets.UnixDomainSocketEndPoint(path));
                return true;
            }
            catch (System.Net.Sockets.SocketException)
            {
                // A path left by a runtime that no longer listens there.
            }
        }

        return false;
    }

    private static async Task<string> ReadUntilAsync(StreamReader reader, string marker, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        var seen = new System.Text.StringBuilder();
        while (await reader.ReadLineAsync(cancel.Token) is { } line)
        {
            seen.AppendLine(line);
            if (line.Contains(marker, StringComparison.Ordinal))
            {
                return line;
            }
        }

        throw new InvalidOperationException($"no line with '{marker}':\n{seen}");
    }

    private sealed class RecordingLauncher : IServerLauncher
    {
        public IReadOnlyList<string> Arguments { get; private set; } = [];

        public Task<int> RunAsync(ServerSettings settings, Berth.Cli.CliEnvironment cli, CancellationToken cancellationToken)
        {
            Arguments = settings.ToArguments();
            return Task.FromResult(7);
        }

        public Task<int> RunRouterAsync(Berth.Cli.Commands.Routers.RouterRunSettings settings, Berth.Cli.CliEnvironment cli, CancellationToken cancellationToken)
        {
            Arguments = settings.ToArguments();
            return Task.FromResult(8);
        }
    }
}
