using Berth.Spec;
using Berth.Spec.Writing;

namespace Berth.Tests.Spec;

/// <summary>A port's <c>app_protocol</c>: honoured (tcp balances connections), kept as written, unknown values warned about.</summary>
public sealed class AppProtocolTests : IDisposable
{
    private readonly SpecTestDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private Task<ComposeLoadResult> LoadPortAsync(string appProtocol) =>
        _dir.LoadAsync($"services:\n  db:\n    image: postgres:16\n    ports:\n      - target: 5432\n        published: 15432\n        app_protocol: {appProtocol}\n");

    [Theory]
    [InlineData("tcp")]
    [InlineData("TCP")]
    [InlineData("http")]
    public async Task LoadAsync_KnownAppProtocol_KeptWithoutWarning(string value)
    {
        var result = await LoadPortAsync(value);

        var spec = SpecAssert.Succeeds(result);
        Assert.Equal(value, Assert.Single(spec.Services["db"].Ports).AppProtocol);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public async Task LoadAsync_AppProtocolTheRouterDoesNotKnow_WarnsHowThePortIsRouted()
    {
        var result = await LoadPortAsync("postgresql");

        var warning = SpecAssert.Warning(result, "services.db.ports[0].app_protocol");
        SpecAssert.At(warning, 7, 23);
        Assert.StartsWith("app_protocol \"postgresql\" is not known to Berth's router: the port is routed as HTTP; use tcp", warning.Message, StringComparison.Ordinal);
        Assert.Equal("postgresql", Assert.Single(SpecAssert.Succeeds(result).Services["db"].Ports).AppProtocol);
    }

    [Fact]
    public async Task Write_AppProtocol_PrintedByConfig()
    {
        var spec = SpecAssert.Succeeds(await LoadPortAsync("tcp"));

        var yaml = ComposeYamlWriter.Write(spec);

        Assert.Contains("- app_protocol: tcp\n", yaml, StringComparison.Ordinal);
    }
}
