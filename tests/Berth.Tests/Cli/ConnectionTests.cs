using System.Net;
using System.Net.Sockets;

namespace Berth.Tests.Cli;

public sealed class ConnectionTests
{
    [Fact]
    public async Task Run_NothingListening_ExitsThreeWithHint()
    {
        var port = ClosedPort();

        var run = await CliRun.RunAsync(api: null, loading: null, "ps", "articles", "--host", $"http://127.0.0.1:{port}");

        Assert.Equal(3, run.ExitCode);
        Assert.Contains($"Cannot reach the Berth server at http://127.0.0.1:{port}. Start it with `./berth server` (or set --host / BERTH_HOST).", run.Error);
        Assert.DoesNotContain("   at ", run.Error);
    }

    [Fact]
    public async Task Run_BadHostOption_ExitsTwo()
    {
        var run = await CliRun.RunAsync(api: null, loading: null, "service", "ls", "--host", "ftp://somewhere");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--host", run.Error);
    }

    [Fact]
    public async Task Run_UnknownVerb_ExitsTwo()
    {
        var run = await CliRun.RunAsync(api: null, loading: null, "launch");

        Assert.Equal(2, run.ExitCode);
    }

    [Fact]
    public async Task Run_BadBerthHostVariable_ExitsTwo()
    {
        var run = await CliRun.RunAsync(
            new CliRunOptions { Variables = new Dictionary<string, string> { ["BERTH_HOST"] = "ftp://x" } }, "node", "ls");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("BERTH_HOST", run.Error);
    }

    [Theory]
    [InlineData("server", "--runtime", "kubernetes")]
    [InlineData("server", "--listen", "localhost")]
    [InlineData("server", "--max-replicas", "0")]
    [InlineData("server", "--max-replicas", "many")]
    [InlineData("logs", "articles_app", "--tail", "-1")]
    [InlineData("events", "--since", "-5")]
    [InlineData("deploy", "-c", "compose.yml", "--timeout", "soon", "articles")]
    public async Task Run_InvalidOptions_ExitsTwo(params string[] args)
    {
        var run = await CliRun.RunAsync(new CliRunOptions(), args);

        Assert.Equal(2, run.ExitCode);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
