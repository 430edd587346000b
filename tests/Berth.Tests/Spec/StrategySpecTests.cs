using System.Text.Json;
using Berth.Api;
using Berth.Spec;

namespace Berth.Tests.Spec;

public sealed class StrategySpecTests : IDisposable
{
    // The x-berth body starts on line 6 of the file, at column 7.
    private const int FirstBodyLine = 6;

    private readonly SpecTestDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private Task<ComposeLoadResult> LoadBerthAsync(string body) =>
        _dir.LoadAsync("services:\n  app:\n    image: x\n    ports: [\"8080:8080\"]\n    x-berth:\n"
            + string.Join("\n", body.Split('\n').Select(l => "      " + l)) + "\n");

    private static StrategySpec StrategyOf(ComposeLoadResult result) => SpecAssert.Succeeds(result).Services["app"].Berth.Strategy;

    /// <summary>The one error at <paramref name="path"/> (under services.app.x-berth), on body line <paramref name="bodyLine"/>, containing <paramref name="text"/>.</summary>
    private static SpecDiagnostic Error(ComposeLoadResult result, string path, int bodyLine, string text)
    {
        var error = SpecAssert.SingleError(result, "services.app.x-berth." + path);
        Assert.Contains(text, error.Message, StringComparison.Ordinal);
        Assert.True(error.Line == FirstBodyLine + bodyLine - 1, $"expected body line {bodyLine} (file line {FirstBodyLine + bodyLine - 1}), got {error}");
        return error;
    }

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
        var strategy = StrategyOf(await LoadBerthAsync("health: {http_path: /healthz}"));

        Assert.Equal(StrategySpec.RollingKind, strategy.Kind);
        Assert.Null(strategy.Canary);
        Assert.Null(strategy.BlueGreen);
    }

    [Fact]
    public async Task LoadAsync_FullCanary_EveryStepAndSettingRead()
    {
        var result = await LoadBerthAsync(FullCanary);

        var strategy = StrategyOf(result);
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
        Assert.Equal($"{_dir.PathOf("compose.yaml")}:{FirstBodyLine + 3}", canary.Steps[0].Source);
        Assert.Equal($"{_dir.PathOf("compose.yaml")}:{FirstBodyLine + 9}", canary.Steps[6].Source);

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
        var result = await LoadBerthAsync(FullBlueGreen);

        var strategy = StrategyOf(result);
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
        var blueGreen = StrategyOf(await LoadBerthAsync("strategy: blue-green")).BlueGreen!;

        Assert.Equal(new BlueGreenSpec(), blueGreen);
        Assert.False(blueGreen.AutoPromote);
        Assert.Equal(TimeSpan.FromSeconds(30), blueGreen.ScaleDownDelay);
        Assert.Equal(TimeSpan.FromMinutes(10), blueGreen.ProgressDeadline);
        Assert.Null(blueGreen.PreviewPort);
        Assert.Null(blueGreen.PrePromotion);
    }

    [Fact]
    public async Task LoadAsync_CanaryWithStepsOnly_DefaultTimingsAndNoBackgroundAnalysis()
    {
        var canary = StrategyOf(await LoadBerthAsync("strategy: canary\ncanary: {steps: [{weight: 20}]}")).Canary!;

        Assert.Null(canary.Analysis);
        Assert.Equal(TimeSpan.FromMinutes(10), canary.ProgressDeadline);
        Assert.Equal(TimeSpan.Zero, canary.ScaleDownDelay);
        Assert.Null(canary.PreviewPort);
    }

    [Fact]
    public async Task LoadAsync_AnalysisWithoutMetrics_DefaultErrorRateFivePercent()
    {
        var canary = StrategyOf(await LoadBerthAsync("strategy: canary\ncanary:\n  steps: [{analysis: {count: 1}}]\n  analysis: {}")).Canary!;

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
        var analysis = StrategyOf(await LoadBerthAsync($"strategy: canary\ncanary:\n  steps: [{{weight: 5}}]\n  analysis: {{metrics: [{{name: {name}, max: {max}}}]}}")).Canary!.Analysis!;

        Assert.Equal(expected, analysis.Metrics[0].Max!.Value, precision: 9);
    }

    [Fact]
    public async Task LoadAsync_PauseForms_DurationLongFormAndUntilPromoted()
    {
        var steps = StrategyOf(await LoadBerthAsync("strategy: canary\ncanary:\n  steps:\n    - pause: 1m30s\n    - pause: {duration: 10s}\n    - pause: {}")).Canary!.Steps;

        Assert.Equal([TimeSpan.FromSeconds(90), TimeSpan.FromSeconds(10), null], steps.Select(s => s.Pause));
    }

    [Fact]
    public async Task LoadAsync_MatchCookie_Read()
    {
        var step = StrategyOf(await LoadBerthAsync("strategy: canary\ncanary:\n  steps: [{match: {cookie: beta, value: 1}}]")).Canary!.Steps[0];

        Assert.Equal(new MatchSpec { Cookie = "beta", Value = "1" }, step.Match);
    }

    [Fact]
    public async Task LoadAsync_EqualWeights_Accepted()
    {
        var steps = StrategyOf(await LoadBerthAsync("strategy: canary\ncanary: {steps: [{weight: 0}, {weight: 20}, {pause: 5s}, {weight: 20}, {weight: 100}]}")).Canary!.Steps;

        Assert.Equal([0, 20, 20, 100], steps.Where(s => s.Weight is not null).Select(s => s.Weight));
    }

    [Fact]
    public async Task Write_CanaryAndBlueGreen_LoadWriteLoadGivesEqualStrategy()
    {
        foreach (var body in new[] { FullCanary, FullBlueGreen, "strategy: blue-green", "health: {http_path: /h}" })
        {
            var first = SpecAssert.Succeeds(await LoadBerthAsync(body));
            var yaml = ComposeYamlWriter.Write(first);
            var second = SpecAssert.Succeeds(await _dir.LoadAsync(yaml));

            Assert.Equal(Comparable(first.Services["app"].Berth.Strategy), Comparable(second.Services["app"].Berth.Strategy));
        }
    }

    [Fact]
    public async Task Write_Canary_PrintsStepsInTheFormTheyWereWritten()
    {
        var yaml = ComposeYamlWriter.Write(SpecAssert.Succeeds(await LoadBerthAsync(FullCanary)));

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
        var yaml = ComposeYamlWriter.Write(SpecAssert.Succeeds(await LoadBerthAsync(FullBlueGreen)));

        Assert.Contains("smoke: curl -fsS $$BERTH_PREVIEW_URL/healthz", yaml, StringComparison.Ordinal);
        Assert.Contains("strategy: blue-green", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_TwoFiles_OverrideStepsReplaceBaseSteps()
    {
        var files = new[]
        {
            _dir.Write("compose.yaml", "services:\n  app:\n    image: x\n    x-berth:\n      strategy: canary\n      canary:\n        steps: [{weight: 50}, {pause: 10s}]\n        analysis: {metrics: [{name: error_rate, max: 1%}]}\n"),
            _dir.Write("prod.yaml", "services:\n  app:\n    x-berth:\n      canary:\n        steps: [{weight: 10}]\n        analysis: {metrics: [{name: latency_p95, max: 200}]}\n"),
        };

        var canary = SpecAssert.Succeeds(await _dir.LoadFilesAsync(files)).Services["app"].Berth.Strategy.Canary!;

        Assert.Equal([10], canary.Steps.Select(s => s.Weight));
        Assert.StartsWith(_dir.PathOf("prod.yaml") + ":", canary.Steps[0].Source, StringComparison.Ordinal);
        Assert.Equal([new MetricSpec { Name = "latency_p95", Max = 200 }], canary.Analysis!.Metrics);
    }

    // ---- bad input: one error each, with its message and line ----

    [Fact]
    public async Task LoadAsync_UnknownStrategy_ErrorListsStrategiesAndSuggests()
    {
        var error = Error(await LoadBerthAsync("strategy: blue_green"), "strategy", 1, "must be one of: rolling, blue-green, canary (got \"blue_green\")");

        Assert.Contains("did you mean `blue-green`?", error.Message, StringComparison.Ordinal);
        SpecAssert.At(error, FirstBodyLine, 17);
    }

    [Fact]
    public async Task LoadAsync_CanaryWithoutSteps_ErrorAsksForOne()
    {
        Error(await LoadBerthAsync("strategy: canary"), "canary.steps", 1, "at least one step is needed, e.g. - weight: 20");
        Error(await LoadBerthAsync("strategy: canary\ncanary:\n  steps: []"), "canary.steps", 3, "at least one step is needed");
        Error(await LoadBerthAsync("strategy: canary\ncanary:\n  preview_port: 9000"), "canary.steps", 3, "at least one step is needed");
    }

    [Fact]
    public async Task LoadAsync_UnknownStepKind_ErrorSuggestsAndListsKinds()
    {
        var error = Error(await LoadBerthAsync("strategy: canary\ncanary:\n  steps:\n    - weight: 10\n    - wieght: 20"), "canary.steps[1].wieght", 5, "did you mean `weight`?");

        Assert.Contains("valid keys: analysis, match, pause, replicas, weight", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_StepWithTwoKinds_ErrorSaysOneEach()
    {
        Error(
            await LoadBerthAsync("strategy: canary\ncanary:\n  steps:\n    - weight: 10\n      pause: 5s"),
            "canary.steps[0]",
            4,
            "a step has exactly one of weight, pause, analysis, replicas, match (got weight, pause); write each as its own step");
    }

    [Fact]
    public async Task LoadAsync_StepNotAMapping_ErrorShowsTheForm()
    {
        Error(await LoadBerthAsync("strategy: canary\ncanary:\n  steps:\n    - 10"), "canary.steps[0]", 4, "a step is a mapping with one of weight, pause, analysis, replicas, match, e.g. - weight: 20 (got \"10\")");
    }

    [Theory]
    [InlineData("150", "must be between 0 and 100 (got 150)")]
    [InlineData("-1", "must be between 0 and 100 (got -1)")]
    [InlineData("10%", "must be an integer (got \"10%\")")]
    public async Task LoadAsync_WeightOutOfRange_Error(string weight, string message)
    {
        Error(await LoadBerthAsync($"strategy: canary\ncanary:\n  steps:\n    - weight: {weight}"), "canary.steps[0].weight", 4, message);
    }

    [Fact]
    public async Task LoadAsync_WeightLowerThanEarlier_ErrorNamesTheEarlierStep()
    {
        Error(
            await LoadBerthAsync("strategy: canary\ncanary:\n  steps:\n    - weight: 50\n    - pause: 5s\n    - weight: 20"),
            "canary.steps[2].weight",
            6,
            "must not be lower than an earlier weight step (steps[0] has weight 50, got 20)");
    }

    [Fact]
    public async Task LoadAsync_NegativeReplicas_Error()
    {
        Error(await LoadBerthAsync("strategy: canary\ncanary:\n  steps:\n    - replicas: -1"), "canary.steps[0].replicas", 4, "must be >= 0 (got -1)");
    }

    [Theory]
    [InlineData("30 seconds", "pause", "must be a duration like")]
    [InlineData("", "pause", "must be a duration like 30s, or {} to wait for `berth promote`")]
    [InlineData("{duration: soon}", "pause.duration", "must be a duration like")]
    [InlineData("{until: promote}", "pause.until", "valid keys: duration")]
    public async Task LoadAsync_BadPause_Error(string pause, string path, string message)
    {
        Error(await LoadBerthAsync($"strategy: canary\ncanary:\n  steps:\n    - pause: {pause}"), "canary.steps[0]." + path, 4, message);
    }

    [Fact]
    public async Task LoadAsync_UnknownMetric_ErrorSuggestsAndListsMetrics()
    {
        Error(
            await LoadBerthAsync("strategy: canary\ncanary:\n  steps: [{weight: 5}]\n  analysis:\n    metrics:\n      - name: error_rat\n        max: 1%"),
            "canary.analysis.metrics[0].name",
            6,
            "`error_rat` is not a metric Berth measures; did you mean `error_rate`? valid metrics: error_rate, latency_p95, latency_p99");
    }

    [Fact]
    public async Task LoadAsync_MetricWithoutName_Error()
    {
        Error(await LoadBerthAsync("strategy: canary\ncanary:\n  steps: [{weight: 5}]\n  analysis:\n    metrics:\n      - max: 1%"), "canary.analysis.metrics[0].name", 6, "is required: one of error_rate, latency_p95, latency_p99");
    }

    [Fact]
    public async Task LoadAsync_MetricWithoutThreshold_ErrorAsksForMaxOrMaxRatio()
    {
        Error(
            await LoadBerthAsync("strategy: canary\ncanary:\n  steps: [{weight: 5}]\n  analysis:\n    metrics:\n      - name: latency_p95"),
            "canary.analysis.metrics[0]",
            6,
            "metric latency_p95 needs max (an absolute ceiling, e.g. max: 300ms) or max_ratio (relative to the stable release, e.g. max_ratio: 1.5)");
    }

    [Theory]
    [InlineData("max_ratio: 0", "max_ratio", "must be > 0 (got 0)")]
    [InlineData("max_ratio: -2", "max_ratio", "must be > 0 (got -2)")]
    [InlineData("max: 5", "max", "must be an error rate between 0 and 1, or 0% and 100%, e.g. 0.05 or 5% (got \"5\")")]
    [InlineData("max: 150%", "max", "must be an error rate between 0 and 1")]
    [InlineData("max: -0.1", "max", "must be an error rate between 0 and 1")]
    [InlineData("max: low", "max", "must be an error rate between 0 and 1")]
    public async Task LoadAsync_BadErrorRateThreshold_Error(string threshold, string key, string message)
    {
        Error(
            await LoadBerthAsync($"strategy: canary\ncanary:\n  steps: [{{weight: 5}}]\n  analysis:\n    metrics:\n      - name: error_rate\n        {threshold}"),
            "canary.analysis.metrics[0]." + key,
            7,
            message);
    }

    [Theory]
    [InlineData("fast")]
    [InlineData("0ms")]
    [InlineData("-5")]
    public async Task LoadAsync_BadLatencyMax_Error(string max)
    {
        Error(
            await LoadBerthAsync($"strategy: canary\ncanary:\n  steps: [{{weight: 5}}]\n  analysis:\n    metrics:\n      - name: latency_p99\n        max: {max}"),
            "canary.analysis.metrics[0].max",
            7,
            $"must be a latency above 0 like 300ms, 0.3s or 300 (milliseconds) (got \"{max}\")");
    }

    [Theory]
    [InlineData("interval: 0s", "interval", "must be more than 0s (got \"0s\")")]
    [InlineData("count: 0", "count", "must be >= 1 (got 0)")]
    [InlineData("min_requests: -1", "min_requests", "must be >= 0 (got -1)")]
    [InlineData("failure_limit: -1", "failure_limit", "must be >= 0 (got -1)")]
    [InlineData("inconclusive_limit: -1", "inconclusive_limit", "must be >= 0 (got -1)")]
    [InlineData("metrics: error_rate", "metrics", "must be a list of metrics, e.g.")]
    [InlineData("intervall: 5s", "intervall", "did you mean `interval`?")]
    public async Task LoadAsync_BadAnalysisSetting_Error(string setting, string key, string message)
    {
        Error(await LoadBerthAsync($"strategy: canary\ncanary:\n  steps: [{{weight: 5}}]\n  analysis:\n    {setting}"), "canary.analysis." + key, 5, message);
    }

    [Fact]
    public async Task LoadAsync_AnalysisStepWithoutCount_ErrorAsksForCount()
    {
        Error(
            await LoadBerthAsync("strategy: canary\ncanary:\n  steps:\n    - analysis: {interval: 5s}"),
            "canary.steps[0].analysis.count",
            4,
            "is required: how many measurements must pass before the next step, e.g. count: 3");
    }

    [Theory]
    [InlineData("{header: X-Beta, cookie: beta, value: \"1\"}", "", "needs exactly one of header or cookie")]
    [InlineData("{value: \"1\"}", "", "needs exactly one of header or cookie")]
    [InlineData("{header: X-Beta}", ".value", "is required: the header or cookie value")]
    [InlineData("{header: \"\", value: \"1\"}", ".header", "must be a name, not empty")]
    [InlineData("{header: X-Beta, valeu: \"1\"}", ".valeu", "did you mean `value`?")]
    [InlineData("X-Beta", "", "must be a mapping like {header: X-Beta, value: \"yes\"} or {cookie: beta, value: \"1\"}")]
    public async Task LoadAsync_BadMatch_Error(string match, string key, string message)
    {
        var result = await LoadBerthAsync($"strategy: canary\ncanary:\n  steps:\n    - match: {match}");

        Error(result, "canary.steps[0].match" + key, 4, message);
    }

    [Fact]
    public async Task LoadAsync_CanarySectionWithBlueGreenStrategy_ErrorNamesItsStrategy()
    {
        Error(
            await LoadBerthAsync("strategy: blue-green\ncanary:\n  steps: [{weight: 10}]"),
            "canary",
            2,
            "belongs to strategy canary, but this service's strategy is blue-green; set `strategy: canary` or remove the canary section");
    }

    [Fact]
    public async Task LoadAsync_BlueGreenSectionWithCanaryStrategy_ErrorNamesItsStrategy()
    {
        Error(
            await LoadBerthAsync("strategy: canary\ncanary: {steps: [{weight: 10}]}\nblue_green: {auto_promote: true}"),
            "blue_green",
            3,
            "belongs to strategy blue-green, but this service's strategy is canary; set `strategy: blue-green` or remove the blue_green section");
    }

    [Fact]
    public async Task LoadAsync_SectionWithoutStrategy_ErrorSaysRollingIsTheDefault()
    {
        Error(await LoadBerthAsync("blue_green: {preview_port: 9000}"), "blue_green", 1, "this service's strategy is rolling (the default); set `strategy: blue-green`");
    }

    [Theory]
    [InlineData("0", "must be between 1 and 65535 (got 0)")]
    [InlineData("70000", "must be between 1 and 65535 (got 70000)")]
    [InlineData("8080", "8080 is already published by this service (ports[0]); the preview needs a port of its own, e.g. 8081")]
    public async Task LoadAsync_BadPreviewPort_Error(string port, string message)
    {
        Error(await LoadBerthAsync($"strategy: blue-green\nblue_green:\n  preview_port: {port}"), "blue_green.preview_port", 3, message);
        Error(await LoadBerthAsync($"strategy: canary\ncanary:\n  steps: [{{weight: 1}}]\n  preview_port: {port}"), "canary.preview_port", 4, message);
    }

    [Fact]
    public async Task LoadAsync_PreviewPortOfAnotherService_Error()
    {
        var result = await _dir.LoadAsync("""
            services:
              api:
                image: x
                ports: ["9000:80"]
                x-berth: {strategy: blue-green, blue_green: {preview_port: 9100}}
              web:
                image: x
                x-berth:
                  strategy: canary
                  canary:
                    steps: [{weight: 5}]
                    preview_port: 9000
              worker:
                image: x
                x-berth: {strategy: blue-green, blue_green: {preview_port: 9100}}
            """);

        var published = SpecAssert.SingleError(result, "services.web.x-berth.canary.preview_port");
        Assert.Equal("9000 is already published by service api; the preview needs a port of its own", published.Message);
        Assert.Equal(12, published.Line);
        var preview = SpecAssert.SingleError(result, "services.worker.x-berth.blue_green.preview_port");
        Assert.Equal("9100 is already the preview port of service api; the preview needs a port of its own", preview.Message);
        Assert.Equal(15, preview.Line);
    }

    [Theory]
    [InlineData("auto_promote: maybe", "auto_promote", "must be true or false (got \"maybe\")")]
    [InlineData("progress_deadline: 0s", "progress_deadline", "must be more than 0s")]
    [InlineData("scale_down_delay: later", "scale_down_delay", "must be a duration like")]
    [InlineData("pre_promotion: {smoke: \" \"}", "pre_promotion.smoke", "must be a shell command")]
    [InlineData("pre_promotion: {smoke: ok, smoke_timeout: 0s}", "pre_promotion.smoke_timeout", "must be more than 0s")]
    [InlineData("pre_promotion: {analysis: {interval: 5s}}", "pre_promotion.analysis.count", "is required: how many measurements must pass before the switch")]
    [InlineData("post_promotion: {smoek: ok}", "post_promotion.smoek", "did you mean `smoke`?")]
    [InlineData("preview_prot: 8081", "preview_prot", "did you mean `preview_port`?")]
    public async Task LoadAsync_BadBlueGreenSetting_Error(string setting, string key, string message)
    {
        Error(await LoadBerthAsync($"strategy: blue-green\nblue_green:\n  {setting}"), "blue_green." + key, 3, message);
    }

    [Fact]
    public async Task LoadAsync_ManyMistakes_AllReportedAtOnce()
    {
        var result = await LoadBerthAsync("""
            strategy: canary
            canary:
              steps:
                - weight: 50
                - weight: 10
                - paws: 5s
                - analysis: {count: 0}
              analysis:
                metrics: [{name: latency_p95}]
              preview_port: 8080
            blue_green: {}
            """);

        Assert.Null(result.Spec);
        Assert.Equal(
            ["blue_green", "canary.analysis.metrics[0]", "canary.preview_port", "canary.steps[1].weight", "canary.steps[2].paws", "canary.steps[3].analysis.count"],
            result.Errors.Select(e => e.Path.Replace("services.app.x-berth.", "", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.All(result.Errors, e => Assert.StartsWith(_dir.PathOf("compose.yaml") + ":", e.ToString(), StringComparison.Ordinal));
    }

    /// <summary>The strategy as JSON without where steps were written (the rewritten file has other lines).</summary>
    private static string Comparable(StrategySpec strategy)
    {
        var canary = strategy.Canary is { } c ? c with { Steps = c.Steps.Select(s => s with { Source = null }).ToList() } : null;
        return JsonSerializer.Serialize(strategy with { Canary = canary }, ApiJson.Options);
    }
}
