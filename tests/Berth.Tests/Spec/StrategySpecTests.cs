using System.Text.Json;
using Berth.Api;
using Berth.Spec;
using Berth.Spec.Writing;

namespace Berth.Tests.Spec;

/// <summary>x-berth.strategy, canary and blue_green files that load: what they become, and how `berth config` writes them back.</summary>
public sealed class StrategySpecTests : IDisposable
{
    private readonly StrategyFile _file = new();

    public void Dispose() => _file.Dispose();

    private const string FullCanary = """
        strategy: canary
        canary:
          steps:
            - weight: 10
            - pause: 30s
            - analysis: {interval: 5s, count: 3, min_requests: 10, failure_limit: 1, inconclusive_limit: 2, metrics: [{name: latency_p99, max: 0.3s}]}
            - replicas: 2
            - match: {header: X-Beta, value: "yes"}
            - weight: 50
            - pause: {}
          analysis:
            interval: 10s
            min_requests: 20
            metrics:
              - name: error_rate
                max: 5%
              - name: latency_p95
                max_ratio: 1.5
          progress_deadline: 15m
          scale_down_delay: 20s
          preview_port: 8081
        """;

    private const string FullBlueGreen = """
        strategy: blue-green
        blue_green:
          preview_port: 8081
          auto_promote: true
          scale_down_delay: 1m
          progress_deadline: 5m
          pre_promotion:
            smoke: curl -fsS $$BERTH_PREVIEW_URL/healthz
            smoke_timeout: 20s
            analysis: {count: 2, metrics: [{name: error_rate, max: 0.01}]}
          post_promotion:
            analysis: {interval: 2s, count: 5}
        """;

    [Fact]
    public async Task LoadAsync_NoStrategy_RollingWithoutSections()
    {
        var strategy = StrategyFile.StrategyOf(await _file.LoadAsync("health: {http_path: /healthz}"));

        Assert.Equal(StrategySpec.RollingKind, strategy.Kind);
        Assert.Null(strategy.Canary);
        Assert.Null(strategy.BlueGreen);
    }

    [Fact]
    public async Task LoadAsync_FullCanary_EveryStepAndSettingRead()
    {
        var result = await _file.LoadAsync(FullCanary);

        var strategy = StrategyFile.StrategyOf(result);
        Assert.Empty(result.Diagnostics);
        Assert.Equal(StrategySpec.CanaryKind, strategy.Kind);
        Assert.Null(strategy.BlueGreen);
        var canary = strategy.Canary!;
        Assert.Equal(["weight", "pause", "analysis", "replicas", "match", "weight", "pause"], canary.Steps.Select(s => s.Kind));
        Assert.Equal(10, canary.Steps[0].Weight);
        Assert.Equal(TimeSpan.FromSeconds(30), canary.Steps[1].Pause);
        var inline = canary.Steps[2].Analysis!;
        Assert.Equal(TimeSpan.FromSeconds(5), inline.Interval);
        Assert.Equal(3, inline.Count);
        Assert.Equal(10, inline.MinRequests);
        Assert.Equal(1, inline.FailureLimit);
        Assert.Equal(2, inline.InconclusiveLimit);
        Assert.Equal([new MetricSpec { Name = "latency_p99", Max = 300 }], inline.Metrics);
        Assert.Equal(2, canary.Steps[3].Replicas);
        Assert.Equal(new MatchSpec { Header = "X-Beta", Value = "yes" }, canary.Steps[4].Match);
        Assert.Equal(50, canary.Steps[5].Weight);
        Assert.Equal(CanaryStepSpec.PauseKind, canary.Steps[6].Kind);
        Assert.Null(canary.Steps[6].Pause);
        Assert.Equal($"{_file.Dir.PathOf("compose.yaml")}:{StrategyFile.FirstBodyLine + 3}", canary.Steps[0].Source);
        Assert.Equal($"{_file.Dir.PathOf("compose.yaml")}:{StrategyFile.FirstBodyLine + 9}", canary.Steps[6].Source);

        var background = canary.Analysis!;
        Assert.Equal(TimeSpan.FromSeconds(10), background.Interval);
        Assert.Null(background.Count);
        Assert.Equal(20, background.MinRequests);
        Assert.Equal(
            [new MetricSpec { Name = "error_rate", Max = 0.05 }, new MetricSpec { Name = "latency_p95", MaxRatio = 1.5 }],
            background.Metrics);
        Assert.Equal(TimeSpan.FromMinutes(15), canary.ProgressDeadline);
        Assert.Equal(TimeSpan.FromSeconds(20), canary.ScaleDownDelay);
        Assert.Equal(8081, canary.PreviewPort);
    }

    [Fact]
    public async Task LoadAsync_FullBlueGreen_EverySettingRead()
    {
        var result = await _file.LoadAsync(FullBlueGreen);

        var strategy = StrategyFile.StrategyOf(result);
        Assert.Empty(result.Diagnostics);
        Assert.Equal(StrategySpec.BlueGreenKind, strategy.Kind);
        Assert.Null(strategy.Canary);
        var blueGreen = strategy.BlueGreen!;
        Assert.Equal(8081, blueGreen.PreviewPort);
        Assert.True(blueGreen.AutoPromote);
        Assert.Equal(TimeSpan.FromMinutes(1), blueGreen.ScaleDownDelay);
        Assert.Equal(TimeSpan.FromMinutes(5), blueGreen.ProgressDeadline);
        Assert.Equal("curl -fsS $BERTH_PREVIEW_URL/healthz", blueGreen.PrePromotion!.Smoke);
        Assert.Equal(TimeSpan.FromSeconds(20), blueGreen.PrePromotion.SmokeTimeout);
        Assert.Equal(2, blueGreen.PrePromotion.Analysis!.Count);
        Assert.Equal([new MetricSpec { Name = "error_rate", Max = 0.01 }], blueGreen.PrePromotion.Analysis.Metrics);
        Assert.Null(blueGreen.PostPromotion!.Smoke);
        Assert.Equal(TimeSpan.FromSeconds(60), blueGreen.PostPromotion.SmokeTimeout);
        Assert.Equal(TimeSpan.FromSeconds(2), blueGreen.PostPromotion.Analysis!.Interval);
    }

    [Fact]
    public async Task LoadAsync_BlueGreenWithoutSection_Defaults()
    {
        var blueGreen = StrategyFile.StrategyOf(await _file.LoadAsync("strategy: blue-green")).BlueGreen!;

        Assert.Equal(new BlueGreenSpec(), blueGreen);
        Assert.False(blueGreen.AutoPromote);
        Assert.Equal(TimeSpan.FromSeconds(30), blueGreen.ScaleDownDelay);
        Assert.Equal(TimeSpan.FromMinutes(10), blueGreen.ProgressDeadline);
        Assert.Null(blueGreen.PreviewPort);
        Assert.Null(blueGreen.PrePromotion);
    }

    [Fact]
    public async Task LoadAsync_EmptyBlueGreenSection_Defaults()
    {
        Assert.Equal(new BlueGreenSpec(), StrategyFile.StrategyOf(await _file.LoadAsync("strategy: blue-green\nblue_green:")).BlueGreen);
    }

    [Fact]
    public async Task LoadAsync_CanaryWithStepsOnly_DefaultTimingsAndNoBackgroundAnalysis()
    {
        var canary = StrategyFile.StrategyOf(await _file.LoadAsync("strategy: canary\ncanary: {steps: [{weight: 20}]}")).Canary!;

        Assert.Null(canary.Analysis);
        Assert.Equal(TimeSpan.FromMinutes(10), canary.ProgressDeadline);
        Assert.Equal(TimeSpan.Zero, canary.ScaleDownDelay);
        Assert.Null(canary.PreviewPort);
    }

    [Fact]
    public async Task LoadAsync_AnalysisWithoutMetrics_DefaultErrorRateFivePercent()
    {
        var canary = StrategyFile.StrategyOf(await _file.LoadAsync("strategy: canary\ncanary:\n  steps: [{analysis: {count: 1}}]\n  analysis: {}")).Canary!;

        Assert.Equal([new MetricSpec { Name = "error_rate", Max = 0.05 }], canary.Analysis!.Metrics);
        Assert.Equal([new MetricSpec { Name = "error_rate", Max = 0.05 }], canary.Steps[0].Analysis!.Metrics);
        Assert.Equal(TimeSpan.FromSeconds(10), canary.Analysis.Interval);
        Assert.Equal(20, canary.Analysis.MinRequests);
        Assert.Equal(0, canary.Analysis.FailureLimit);
        Assert.Equal(0, canary.Analysis.InconclusiveLimit);
    }

    [Theory]
    [InlineData("error_rate", "0.05", 0.05)]
    [InlineData("error_rate", "5%", 0.05)]
    [InlineData("error_rate", "\"100%\"", 1)]
    [InlineData("error_rate", "0", 0)]
    [InlineData("latency_p95", "300ms", 300)]
    [InlineData("latency_p95", "0.3s", 300)]
    [InlineData("latency_p95", "300", 300)]
    [InlineData("latency_p99", "1m", 60_000)]
    public async Task LoadAsync_MetricMaxForms_ReadAsFractionOrMilliseconds(string name, string max, double expected)
    {
        var analysis = StrategyFile.StrategyOf(await _file.LoadAsync($"strategy: canary\ncanary:\n  steps: [{{weight: 5}}]\n  analysis: {{metrics: [{{name: {name}, max: {max}}}]}}")).Canary!.Analysis!;

        Assert.Equal(expected, analysis.Metrics[0].Max!.Value, precision: 9);
    }

    [Fact]
    public async Task LoadAsync_PauseForms_DurationLongFormAndUntilPromoted()
    {
        var steps = StrategyFile.StrategyOf(await _file.LoadAsync("strategy: canary\ncanary:\n  steps:\n    - pause: 1m30s\n    - pause: {duration: 10s}\n    - pause: {}")).Canary!.Steps;

        Assert.Equal([TimeSpan.FromSeconds(90), TimeSpan.FromSeconds(10), null], steps.Select(s => s.Pause));
    }

    [Fact]
    public async Task LoadAsync_MatchCookie_Read()
    {
        var step = StrategyFile.StrategyOf(await _file.LoadAsync("strategy: canary\ncanary:\n  steps: [{match: {cookie: beta, value: 1}}]")).Canary!.Steps[0];

        Assert.Equal(new MatchSpec { Cookie = "beta", Value = "1" }, step.Match);
    }

    [Fact]
    public async Task LoadAsync_EqualWeights_Accepted()
    {
        var steps = StrategyFile.StrategyOf(await _file.LoadAsync("strategy: canary\ncanary: {steps: [{weight: 0}, {weight: 20}, {pause: 5s}, {weight: 20}, {weight: 100}]}")).Canary!.Steps;

        Assert.Equal([0, 20, 20, 100], steps.Where(s => s.Weight is not null).Select(s => s.Weight));
    }

    [Fact]
    public async Task Write_CanaryAndBlueGreen_LoadWriteLoadGivesEqualStrategy()
    {
        foreach (var body in new[] { FullCanary, FullBlueGreen, "strategy: blue-green", "health: {http_path: /h}" })
        {
            var first = SpecAssert.Succeeds(await _file.LoadAsync(body));
            var yaml = ComposeYamlWriter.Write(first);
            var second = SpecAssert.Succeeds(await _file.Dir.LoadAsync(yaml));

            Assert.Equal(Comparable(first.Services["app"].Berth.Strategy), Comparable(second.Services["app"].Berth.Strategy));
        }
    }

    [Fact]
    public async Task Write_Canary_PrintsStepsInTheFormTheyWereWritten()
    {
        var yaml = ComposeYamlWriter.Write(SpecAssert.Succeeds(await _file.LoadAsync(FullCanary)));

        Assert.Contains("strategy: canary", yaml, StringComparison.Ordinal);
        Assert.Contains("- weight: 10\n", yaml, StringComparison.Ordinal);
        Assert.Contains("- pause: 30s\n", yaml, StringComparison.Ordinal);
        Assert.Contains("- pause: {}\n", yaml, StringComparison.Ordinal);
        Assert.Contains("- replicas: 2\n", yaml, StringComparison.Ordinal);
        Assert.Contains("value: \"yes\"", yaml, StringComparison.Ordinal);
        Assert.DoesNotContain("blue_green", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Write_BlueGreenSmoke_DollarDoubledSoReloadKeepsIt()
    {
        var yaml = ComposeYamlWriter.Write(SpecAssert.Succeeds(await _file.LoadAsync(FullBlueGreen)));

        Assert.Contains("smoke: curl -fsS $$BERTH_PREVIEW_URL/healthz", yaml, StringComparison.Ordinal);
        Assert.Contains("strategy: blue-green", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_TwoFiles_OverrideStepsReplaceBaseSteps()
    {
        var files = new[]
        {
            _file.Dir.Write("compose.yaml", "services:\n  app:\n    image: x\n    x-berth:\n      strategy: canary\n      canary:\n        steps: [{weight: 50}, {pause: 10s}]\n        analysis: {metrics: [{name: error_rate, max: 1%}]}\n"),
            _file.Dir.Write("prod.yaml", "services:\n  app:\n    x-berth:\n      canary:\n        steps: [{weight: 10}]\n        analysis: {metrics: [{name: latency_p95, max: 200}]}\n"),
        };

        var canary = SpecAssert.Succeeds(await _file.Dir.LoadFilesAsync(files)).Services["app"].Berth.Strategy.Canary!;

        Assert.Equal([10], canary.Steps.Select(s => s.Weight));
        Assert.StartsWith(_file.Dir.PathOf("prod.yaml") + ":", canary.Steps[0].Source, StringComparison.Ordinal);
        Assert.Equal([new MetricSpec { Name = "latency_p95", Max = 200 }], canary.Analysis!.Metrics);
    }

    /// <summary>The strategy as JSON without where steps were written (the rewritten file has other lines).</summary>
    private static string Comparable(StrategySpec strategy)
    {
        var canary = strategy.Canary is { } c ? c with { Steps = c.Steps.Select(s => s with { Source = null }).ToList() } : null;
        return JsonSerializer.Serialize(strategy with { Canary = canary }, ApiJson.Options);
    }
}
