using System.Net.NetworkInformation;
using Berth.Runtimes.Swarm;

namespace Berth.Tests.Swarm;

/// <summary>
/// Which Swarm node counts as the server's own (tasks reached at 127.0.0.1): only one whose address is this machine's.
/// A manager in another network namespace (scripts/swarm-two-nodes.sh) is reached at its node address instead.
/// </summary>
public sealed class TwoNodeLocalNodeTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("")]
    [InlineData(null)]
    public void IsAddressOfThisMachine_LoopbackOrUnknown_True(string? address) =>
        Assert.True(SwarmRuntimeDriver.IsAddressOfThisMachine(address));

    [Fact]
    public void IsAddressOfThisMachine_AnInterfaceAddress_True()
    {
        var own = NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .First(a => !System.Net.IPAddress.IsLoopback(a));

        Assert.True(SwarmRuntimeDriver.IsAddressOfThisMachine(own.ToString()));
    }

    [Fact]
    public void IsAddressOfThisMachine_AnotherHostsAddress_False() =>
        Assert.False(SwarmRuntimeDriver.IsAddressOfThisMachine("198.51.100.77"));
}
