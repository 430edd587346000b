using Berth.Tests.Infrastructure;

namespace Berth.Tests.Swarm;

/// <summary>`node drain` where there is nothing to drain: the process runtime.</summary>
public sealed class SwarmNodeCommandTests
{
    [Fact]
    public async Task NodeDrain_ProcessRuntime_RefusedWithClearError()
    {
        await using var server = await BerthServerProcess.StartAsync();

        var drain = await server.CliAsync("node", "drain", "local");

        Assert.NotEqual(0, drain.ExitCode);
        Assert.Contains("drain needs --runtime swarm", drain.Stderr + drain.Stdout, StringComparison.Ordinal);
        var ls = await server.CliAsync("node", "ls");
        Assert.Contains("active", ls.Stdout, StringComparison.Ordinal);
    }
}
