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

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
