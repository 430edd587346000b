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
    public async Task LoadAsync_PortRange_ReportsNotSupported()
    {
        var error = SpecAssert.SingleError(await LoadPortsAsync("      - \"8000-8001:80-81\""), "services.app.ports[0]");

        Assert.StartsWith("port ranges are not supported by Berth yet", error.Message, StringComparison.Ordinal);
        Assert.Contains("\"8080:80\"", error.Message, StringComparison.Ordinal);
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
