using Berth.Spec;

namespace Berth.Tests.Spec;

public sealed class PortsTests : IDisposable
{
    private readonly SpecTestDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private Task<ComposeLoadResult> LoadPortsAsync(string ports) => _dir.LoadAsync($"services:\n  app:\n    image: x\n    ports:\n{ports}\n");

    [Theory]
    [InlineData("\"80\"", 80, null, null, "tcp")]
    [InlineData("80", 80, null, null, "tcp")]
    [InlineData("\"8080:80\"", 80, 8080, null, "tcp")]
    [InlineData("\"127.0.0.1:8080:80\"", 80, 8080, "127.0.0.1", "tcp")]
    [InlineData("\"127.0.0.1::80\"", 80, null, "127.0.0.1", "tcp")]
    [InlineData("\"[::1]:8080:80\"", 80, 8080, "::1", "tcp")]
    [InlineData("\"8080:80/udp\"", 80, 8080, null, "udp")]
    public async Task LoadAsync_ShortSyntax_Normalized(string entry, int target, int? published, string? hostIp, string protocol)
    {
        var spec = SpecAssert.Succeeds(await LoadPortsAsync($"      - {entry}"));

        Assert.Equal(new PortSpec { Target = target, Published = published, HostIp = hostIp, Protocol = protocol }, Assert.Single(spec.Services["app"].Ports));
    }

    [Fact]
    public async Task LoadAsync_LongSyntax_AllFields()
    {
        var spec = SpecAssert.Succeeds(await LoadPortsAsync("      - target: 80\n        published: \"8080\"\n        host_ip: 0.0.0.0\n        protocol: udp\n        mode: host\n        name: web"));

        Assert.Equal(new PortSpec { Target = 80, Published = 8080, HostIp = "0.0.0.0", Protocol = "udp", Mode = "host", Name = "web" }, Assert.Single(spec.Services["app"].Ports));
    }

    [Fact]
    public async Task LoadAsync_PublishedAndTargetRanges_ExpandedPairwise()
    {
        var spec = SpecAssert.Succeeds(await LoadPortsAsync("      - \"127.0.0.1:3000-3002:4000-4002/udp\""));

        Assert.Equal(
            new[] { 3000, 3001, 3002 }.Select(p => new PortSpec { Target = p + 1000, Published = p, HostIp = "127.0.0.1", Protocol = "udp" }),
            spec.Services["app"].Ports);
    }

    [Fact]
    public async Task LoadAsync_TargetRangeAlone_ExpandedUnpublished()
    {
        var spec = SpecAssert.Succeeds(await LoadPortsAsync("      - \"8000-8001\""));

        Assert.Equal([new PortSpec { Target = 8000 }, new PortSpec { Target = 8001 }], spec.Services["app"].Ports);
    }

    [Fact]
    public async Task LoadAsync_PublishedRangeForOneTarget_FirstPortWithWarning()
    {
        var result = await LoadPortsAsync("      - \"9090-9091:8080\"\n      - target: 81\n        published: \"9100-9105\"");

        var spec = SpecAssert.Succeeds(result);
        Assert.Equal([new PortSpec { Target = 8080, Published = 9090 }, new PortSpec { Target = 81, Published = 9100 }], spec.Services["app"].Ports);
        Assert.Equal("published range 9090-9091 for one target port: Berth publishes its first port, 9090", SpecAssert.Warning(result, "services.app.ports[0]").Message);
        SpecAssert.Warning(result, "services.app.ports[1].published");
    }

    [Theory]
    [InlineData("8080:8000-8005", "one published port (8080) cannot serve the target range 8000-8005: publish a range of as many ports, e.g. \"8080-8085:8000-8005\"")]
    [InlineData("8000-8001:80-82", "the published range 8000-8001 and the target range 80-82 must hold as many ports (got 2 and 3)")]
    [InlineData("8005-8000", "invalid port range \"8005-8000\": it ends before it starts")]
    [InlineData("1-2000:1-2000", "port range \"1-2000\" holds 2000 ports; Berth publishes at most 1000 ports per entry (each is a front door of its router)")]
    public async Task LoadAsync_BadPortRange_ReportsWhy(string entry, string message)
    {
        var error = SpecAssert.SingleError(await LoadPortsAsync($"      - \"{entry}\""), "services.app.ports[0]");

        Assert.Equal(message, error.Message);
        SpecAssert.At(error, 5, 9);
    }

    [Fact]
    public async Task LoadAsync_PortOutOfRange_ReportsValidRange()
    {
        var error = SpecAssert.SingleError(await LoadPortsAsync("      - \"70000:80\""), "services.app.ports[0]");

        Assert.Equal("port must be between 1 and 65535 (got 70000)", error.Message);
    }

    [Fact]
    public async Task LoadAsync_LongSyntaxBadValues_AllReported()
    {
        var result = await LoadPortsAsync("      - target: 0\n        protocol: sctp\n        mode: bridge");

        SpecAssert.At(SpecAssert.SingleError(result, "services.app.ports[0].target"), 5, 17);
        Assert.Equal("must be one of: tcp, udp (got \"sctp\")", SpecAssert.SingleError(result, "services.app.ports[0].protocol").Message);
        Assert.Equal("must be one of: ingress, host (got \"bridge\")", SpecAssert.SingleError(result, "services.app.ports[0].mode").Message);
    }

    [Fact]
    public async Task LoadAsync_LongSyntaxWithoutTarget_ReportsError()
    {
        var error = SpecAssert.SingleError(await LoadPortsAsync("      - published: 80"), "services.app.ports[0]");

        Assert.Contains("target is required", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_NotAPortNumber_ReportsError()
    {
        var error = SpecAssert.SingleError(await LoadPortsAsync("      - \"web:80\""), "services.app.ports[0]");

        Assert.Contains("is not a port number", error.Message, StringComparison.Ordinal);
    }
}
