using System.Text.Json;
using Berth.Api;
using Berth.Spec;

namespace Berth.Tests.Cli;

public sealed class ConfigCommandTests
{
    [Fact]
    public async Task Config_ValidFile_PrintsNormalizedYaml()
    {
        var run = await CliRun.RunAsync(api: null, FakeComposeLoading.Valid(), "config", "-c", "compose.yml");

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("services:\n  app:\n", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Config_Json_PrintsSpecWithApiNames()
    {
        var run = await CliRun.RunAsync(api: null, FakeComposeLoading.Valid(), "config", "-c", "compose.yml", "--json");

        Assert.Equal(0, run.ExitCode);
        var spec = JsonSerializer.Deserialize<ComposeSpec>(run.Out, ApiJson.Options)!;
        Assert.Equal("articles/app:2", spec.Services["app"].Image);
    }

    [Fact]
    public async Task Config_Errors_ExitsTwoWithDiagnostics()
    {
        var loading = FakeComposeLoading.Invalid(
            new SpecDiagnostic(DiagnosticSeverity.Error, "compose.yml", 3, 5, "services.app.ports[0]", "'abc' is not a port"));

        var run = await CliRun.RunAsync(api: null, loading, "config", "-c", "compose.yml");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("compose.yml:3:5: error: services.app.ports[0]: 'abc' is not a port", run.Error);
        Assert.Equal(string.Empty, run.Out);
    }
}
