using Berth.Releases;
using Berth.Spec;
using Berth.Tests.Infrastructure;

namespace Berth.Tests.Examples;

/// <summary>examples/articles/docker-compose.canary.yml and docker-compose.blue-green.yml load cleanly and say what their comments say.</summary>
public sealed class StrategyExampleFilesTests
{
    private static string Example(string name) => Path.Combine(RepoPaths.Root, "examples", "articles", name);

    private static async Task<ServiceSpec> LoadAppAsync(string file)
    {
        var result = await new ComposeLoader().LoadAsync(
            new ComposeLoadRequest { Files = [Example(file)], Environment = new Dictionary<string, string>() },
            CancellationToken.None);

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.Empty(result.Diagnostics);
        return result.Spec!.Services["app"];
    }

    [Fact]
    public async Task LoadAsync_CanaryExample_StepsAndAnalysisAsDocumented()
    {
        var app = await LoadAppAsync("docker-compose.canary.yml");

        var canary = app.Berth.Strategy.Canary!;
        Assert.Equal(StrategySpec.CanaryKind, app.Berth.Strategy.Kind);
        Assert.Equal(["weight", "analysis", "weight", "pause"], canary.Steps.Select(s => s.Kind));
        Assert.Equal([10, 50], canary.Steps.Where(s => s.Weight is not null).Select(s => s.Weight));
        Assert.Equal(TimeSpan.FromSeconds(5), canary.Steps[1].Analysis!.Interval);
        Assert.Equal(2, canary.Steps[1].Analysis!.Count);
        Assert.Equal(TimeSpan.FromSeconds(10), canary.Steps[3].Pause);
        Assert.Equal(20, canary.Analysis!.MinRequests);
        Assert.Equal(
            [new MetricSpec { Name = MetricSpec.ErrorRate, Max = 0.05 }, new MetricSpec { Name = MetricSpec.LatencyP95, Max = 250 }],
            canary.Analysis.Metrics);
        Assert.Equal("articles:1", app.Image);
    }

    [Fact]
    public async Task LoadAsync_BlueGreenExample_PreviewAndSmokeAsDocumented()
    {
        var app = await LoadAppAsync("docker-compose.blue-green.yml");

        var blueGreen = app.Berth.Strategy.BlueGreen!;
        Assert.Equal(StrategySpec.BlueGreenKind, app.Berth.Strategy.Kind);
        Assert.Equal(8081, blueGreen.PreviewPort);
        Assert.False(blueGreen.AutoPromote);
        Assert.Equal(TimeSpan.FromSeconds(30), blueGreen.ScaleDownDelay);
        Assert.Equal($"curl -fsS $BERTH_PREVIEW_URL{app.Berth.Health.HttpPath}", blueGreen.PrePromotion!.Smoke);
    }

    [Theory]
    [InlineData("docker-compose.canary.yml")]
    [InlineData("docker-compose.blue-green.yml")]
    public async Task LoadAsync_StrategyExample_SameAppAsThePlainExample(string file)
    {
        var plain = await LoadAppAsync("docker-compose.yml");
        var withStrategy = await LoadAppAsync(file);

        // Same replicas: only the way a new release replaces the running one differs.
        Assert.Equal(ReleaseFingerprint.Of(plain), ReleaseFingerprint.Of(withStrategy with { Berth = withStrategy.Berth with { Strategy = new() } }));
    }
}
