using Berth.Spec;

namespace Berth.Tests.Spec;

/// <summary>Bad x-berth.strategy, canary and blue_green input: one error each, with its message and line (all at once when many).</summary>
public sealed class StrategySpecErrorTests : IDisposable
{
    private readonly StrategyFile _file = new();

    public void Dispose() => _file.Dispose();

    [Fact]
    public async Task LoadAsync_UnknownStrategy_ErrorListsStrategiesAndSuggests()
    {
        var error = StrategyFile.Error(await _file.LoadAsync("strategy: blue_green"), "strategy", 1, "must be one of: rolling, blue-green, canary (got \"blue_green\")");

        Assert.Contains("did you mean `blue-green`?", error.Message, StringComparison.Ordinal);
        SpecAssert.At(error, StrategyFile.FirstBodyLine, 17);
    }

    [Fact]
    public async Task LoadAsync_CanaryWithoutSteps_ErrorAsksForOne()
    {
        StrategyFile.Error(await _file.LoadAsync("strategy: canary"), "canary.steps", 1, "at least one step is needed, e.g. - weight: 20");
        StrategyFile.Error(await _file.LoadAsync("strategy: canary\ncanary:\n  steps: []"), "canary.steps", 3, "at least one step is needed");
        StrategyFile.Error(await _file.LoadAsync("strategy: canary\ncanary:\n  preview_port: 9000"), "canary.steps", 3, "at least one step is needed");
    }

    [Fact]
    public async Task LoadAsync_UnknownStepKind_ErrorSuggestsAndListsKinds()
    {
        var error = StrategyFile.Error(await _file.LoadAsync("strategy: canary\ncanary:\n  steps:\n    - weight: 10\n    - wieght: 20"), "canary.steps[1].wieght", 5, "did you mean `weight`?");

        Assert.Contains("valid keys: analysis, match, pause, replicas, weight", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_StepWithTwoKinds_ErrorSaysOneEach()
    {
        StrategyFile.Error(
            await _file.LoadAsync("strategy: canary\ncanary:\n  steps:\n    - weight: 10\n      pause: 5s"),
            "canary.steps[0]",
            4,
            "a step has exactly one of weight, pause, analysis, replicas, match (got weight, pause); write each as its own step");
    }

    [Fact]
    public async Task LoadAsync_StepNotAMapping_ErrorShowsTheForm()
    {
        StrategyFile.Error(await _file.LoadAsync("strategy: canary\ncanary:\n  steps:\n    - 10"), "canary.steps[0]", 4, "a step is a mapping with one of weight, pause, analysis, replicas, match, e.g. - weight: 20 (got \"10\")");
    }

    [Theory]
    [InlineData("150", "must be between 0 and 100 (got 150)")]
    [InlineData("-1", "must be between 0 and 100 (got -1)")]
    [InlineData("10%", "must be an integer (got \"10%\")")]
    public async Task LoadAsync_WeightOutOfRange_Error(string weight, string message)
    {
        StrategyFile.Error(await _file.LoadAsync($"strategy: canary\ncanary:\n  steps:\n    - weight: {weight}"), "canary.steps[0].weight", 4, message);
    }

    [Fact]
    public async Task LoadAsync_WeightLowerThanEarlier_ErrorNamesTheEarlierStep()
    {
        StrategyFile.Error(
            await _file.LoadAsync("strategy: canary\ncanary:\n  steps:\n    - weight: 50\n    - pause: 5s\n    - weight: 20"),
            "canary.steps[2].weight",
            6,
            "must not be lower than an earlier weight step (steps[0] has weight 50, got 20)");
    }

    [Fact]
    public async Task LoadAsync_NegativeReplicas_Error()
    {
        StrategyFile.Error(await _file.LoadAsync("strategy: canary\ncanary:\n  steps:\n    - replicas: -1"), "canary.steps[0].replicas", 4, "must be >= 0 (got -1)");
    }

    [Theory]
    [InlineData("30 seconds", "pause", "must be a duration like")]
    [InlineData("", "pause", "must be a duration like 30s, or {} to wait for `berth promote`")]
    [InlineData("{duration: soon}", "pause.duration", "must be a duration like")]
    [InlineData("{until: promote}", "pause.until", "valid keys: duration")]
    public async Task LoadAsync_BadPause_Error(string pause, string path, string message)
    {
        StrategyFile.Error(await _file.LoadAsync($"strategy: canary\ncanary:\n  steps:\n    - pause: {pause}"), "canary.steps[0]." + path, 4, message);
    }

    [Fact]
    public async Task LoadAsync_UnknownMetric_ErrorSuggestsAndListsMetrics()
    {
        StrategyFile.Error(
            await _file.LoadAsync("strategy: canary\ncanary:\n  steps: [{weight: 5}]\n  analysis:\n    metrics:\n      - name: error_rat\n        max: 1%"),
            "canary.analysis.metrics[0].name",
            6,
            "`error_rat` is not a metric Berth measures; did you mean `error_rate`? valid metrics: error_rate, latency_p95, latency_p99");
    }

    [Fact]
    public async Task LoadAsync_MetricWithoutName_Error()
    {
        StrategyFile.Error(await _file.LoadAsync("strategy: canary\ncanary:\n  steps: [{weight: 5}]\n  analysis:\n    metrics:\n      - max: 1%"), "canary.analysis.metrics[0].name", 6, "is required: one of error_rate, latency_p95, latency_p99");
    }

    [Fact]
    public async Task LoadAsync_MetricWithoutThreshold_ErrorAsksForMaxOrMaxRatio()
    {
        StrategyFile.Error(
            await _file.LoadAsync("strategy: canary\ncanary:\n  steps: [{weight: 5}]\n  analysis:\n    metrics:\n      - name: latency_p95"),
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
        StrategyFile.Error(
            await _file.LoadAsync($"strategy: canary\ncanary:\n  steps: [{{weight: 5}}]\n  analysis:\n    metrics:\n      - name: error_rate\n        {threshold}"),
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
        StrategyFile.Error(
            await _file.LoadAsync($"strategy: canary\ncanary:\n  steps: [{{weight: 5}}]\n  analysis:\n    metrics:\n      - name: latency_p99\n        max: {max}"),
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
        StrategyFile.Error(await _file.LoadAsync($"strategy: canary\ncanary:\n  steps: [{{weight: 5}}]\n  analysis:\n    {setting}"), "canary.analysis." + key, 5, message);
    }

    [Fact]
    public async Task LoadAsync_AnalysisStepWithoutCount_ErrorAsksForCount()
    {
        StrategyFile.Error(
            await _file.LoadAsync("strategy: canary\ncanary:\n  steps:\n    - analysis: {interval: 5s}"),
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
        var result = await _file.LoadAsync($"strategy: canary\ncanary:\n  steps:\n    - match: {match}");

        StrategyFile.Error(result, "canary.steps[0].match" + key, 4, message);
    }

    [Fact]
    public async Task LoadAsync_CanarySectionWithBlueGreenStrategy_ErrorNamesItsStrategy()
    {
        StrategyFile.Error(
            await _file.LoadAsync("strategy: blue-green\ncanary:\n  steps: [{weight: 10}]"),
            "canary",
            2,
            "belongs to strategy canary, but this service's strategy is blue-green; set `strategy: canary` or remove the canary section");
    }

    [Fact]
    public async Task LoadAsync_BlueGreenSectionWithCanaryStrategy_ErrorNamesItsStrategy()
    {
        StrategyFile.Error(
            await _file.LoadAsync("strategy: canary\ncanary: {steps: [{weight: 10}]}\nblue_green: {auto_promote: true}"),
            "blue_green",
            3,
            "belongs to strategy blue-green, but this service's strategy is canary; set `strategy: blue-green` or remove the blue_green section");
    }

    [Fact]
    public async Task LoadAsync_SectionWithoutStrategy_ErrorSaysRollingIsTheDefault()
    {
        StrategyFile.Error(await _file.LoadAsync("blue_green: {preview_port: 9000}"), "blue_green", 1, "this service's strategy is rolling (the default); set `strategy: blue-green`");
    }

    [Theory]
    [InlineData("0", "must be between 1 and 65535 (got 0)")]
    [InlineData("70000", "must be between 1 and 65535 (got 70000)")]
    [InlineData("8080", "8080 is already published by this service (ports[0]); the preview needs a port of its own, e.g. 8081")]
    public async Task LoadAsync_BadPreviewPort_Error(string port, string message)
    {
        StrategyFile.Error(await _file.LoadAsync($"strategy: blue-green\nblue_green:\n  preview_port: {port}"), "blue_green.preview_port", 3, message);
        StrategyFile.Error(await _file.LoadAsync($"strategy: canary\ncanary:\n  steps: [{{weight: 1}}]\n  preview_port: {port}"), "canary.preview_port", 4, message);
    }

    [Fact]
    public async Task LoadAsync_PreviewPortOfAnotherService_Error()
    {
        var result = await _file.Dir.LoadAsync("""
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
        StrategyFile.Error(await _file.LoadAsync($"strategy: blue-green\nblue_green:\n  {setting}"), "blue_green." + key, 3, message);
    }

    [Fact]
    public async Task LoadAsync_ManyMistakes_AllReportedAtOnce()
    {
        var result = await _file.LoadAsync("""
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
        Assert.All(result.Errors, e => Assert.StartsWith(_file.Dir.PathOf("compose.yaml") + ":", e.ToString(), StringComparison.Ordinal));
    }
}
