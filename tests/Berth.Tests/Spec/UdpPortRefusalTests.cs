using Berth.Spec;

namespace Berth.Tests.Spec;

/// <summary>
/// UDP ports are valid Compose that Berth's router cannot serve: <c>berth config</c> accepts them, a deploy refuses
/// them at the key that asks for one.
/// </summary>
public sealed class UdpPortRefusalTests : IDisposable
{
    private const string Compose = """
        services:
          dns:
            image: coredns/coredns
            ports:
              - "8053:53"
              - "5353:53/udp"
              - target: 53
                published: 6353
                protocol: udp
        """;

    private readonly SpecTestDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task LoadAsync_ForDeploy_EveryUdpPortRefusedWhereItIsWritten()
    {
        var result = await LoadForDeployAsync(Compose);

        var shortSyntax = SpecAssert.SingleError(result, "services.dns.ports[1]");
        var longSyntax = SpecAssert.SingleError(result, "services.dns.ports[2].protocol");
        SpecAssert.At(shortSyntax, 6, 9);
        SpecAssert.At(longSyntax, 9, 19);
        Assert.Equal(2, result.Errors.Count());
        Assert.Equal(
            $"{_dir.PathOf("compose.yaml")}:9:19: error: services.dns.ports[2].protocol: UDP ports are not supported yet by Berth's router; publish the port over TCP (protocol: tcp, the default; add app_protocol: tcp for a protocol other than HTTP) or remove it",
            longSyntax.ToString());
    }

    [Fact]
    public async Task LoadAsync_ForConfig_UdpPortsAreValidCompose()
    {
        var spec = SpecAssert.Succeeds(await _dir.LoadAsync(Compose));

        Assert.Equal(["tcp", "udp", "udp"], spec.Services["dns"].Ports.Select(p => p.Protocol));
    }

    [Fact]
    public void UnroutablePorts_ServiceWithUdpPorts_NamedByPublishedPort()
    {
        var service = new ServiceSpec
        {
            Name = "dns",
            Ports = [new PortSpec { Target = 53, Published = 8053 }, new PortSpec { Target = 53, Published = 5353, Protocol = "udp" }, new PortSpec { Target = 54, Protocol = "udp" }],
        };

        Assert.Equal(["5353/udp", "54/udp"], UnroutablePorts.Of(service));
    }

    private Task<ComposeLoadResult> LoadForDeployAsync(string yaml) =>
        new ComposeLoader().LoadAsync(
            new ComposeLoadRequest { Files = [_dir.Write("compose.yaml", yaml)], Environment = new Dictionary<string, string>(), ForDeploy = true },
            CancellationToken.None);
}
