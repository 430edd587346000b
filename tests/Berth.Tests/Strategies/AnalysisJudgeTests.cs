using Berth.Engine;
using Berth.Engine.Gates;
using Berth.Routing;
using Berth.Spec;

namespace Berth.Tests.Strategies;

public sealed class AnalysisJudgeTests
{
    private static KpiSnapshot Kpis(long requests, long errors = 0, double p95 = 10, double p99 = 20) =>
        new(TimeSpan.FromSeconds(10), requests, requests - errors, 0, 0, errors, 0, 5, p95, p99);

    private static readonly AnalysisSpec ErrorRateMax5 = new() { MinRequests = 20, Metrics = [new MetricSpec { Name = MetricSpec.ErrorRate, Max = 0.05 }] };

    [Fact]
    public void Judge_UnderTheCeiling_Passes()
    {
        var result = AnalysisJudge.Judge(ErrorRateMax5, Kpis(100, errors: 4), Kpis(100));

        Assert.Equal(AnalysisOutcome.Passed, result.Outcome);
        Assert.Equal(0.04, result.Metrics.Single().Measured, 6);
        Assert.Contains("error_rate 4 % ≤ 5 %", result.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Judge_OverTheCeiling_FailsWithTheNumbers()
    {
        var result = AnalysisJudge.Judge(ErrorRateMax5, Kpis(200, errors: 40), Kpis(100));

        Assert.Equal(AnalysisOutcome.Failed, result.Outcome);
        Assert.Contains("error_rate 20 % > 5 %", result.Summary, StringComparison.Ordinal);
        Assert.Equal("20 %", result.Data()["error_rate"]);
        Assert.Equal("200", result.Data()["requests"]);
    }

    [Fact]
    public void Judge_FewerRequestsThanMinRequests_Inconclusive()
    {
        var result = AnalysisJudge.Judge(ErrorRateMax5, Kpis(19, errors: 19), Kpis(100));

        Assert.Equal(AnalysisOutcome.Inconclusive, result.Outcome);
        Assert.Contains("min_requests is 20", result.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Judge_RatioToStable_ComparesOverTheSameWindow()
    {
        var analysis = new AnalysisSpec { MinRequests = 10, Metrics = [new MetricSpec { Name = MetricSpec.LatencyP95, MaxRatio = 1.5 }] };

        Assert.Equal(AnalysisOutcome.Passed, AnalysisJudge.Judge(analysis, Kpis(50, p95: 140), Kpis(50, p95: 100)).Outcome);
        var failed = AnalysisJudge.Judge(analysis, Kpis(50, p95: 160), Kpis(50, p95: 100));
        Assert.Equal(AnalysisOutcome.Failed, failed.Outcome);
        Assert.Equal("100 ms", failed.Data()["latency_p95_stable"]);
    }

    [Fact]
    public void Judge_RatioWithoutStableTraffic_Inconclusive()
    {
        var analysis = new AnalysisSpec { MinRequests = 10, Metrics = [new MetricSpec { Name = MetricSpec.LatencyP95, MaxRatio = 1.5 }] };

        Assert.Equal(AnalysisOutcome.Inconclusive, AnalysisJudge.Judge(analysis, Kpis(50), Kpis(3)).Outcome);
    }

    [Fact]
    public void Judge_RatioAgainstAPerfectStable_UsesTheFloor()
    {
        var analysis = new AnalysisSpec { MinRequests = 10, Metrics = [new MetricSpec { Name = MetricSpec.ErrorRate, MaxRatio = 2 }] };

        // Stable has no error: the floor (1 %) × 2 = 2 % is the ceiling, so one error in 100 passes.
        Assert.Equal(AnalysisOutcome.Passed, AnalysisJudge.Judge(analysis, Kpis(100, errors: 1), Kpis(100)).Outcome);
        Assert.Equal(AnalysisOutcome.Failed, AnalysisJudge.Judge(analysis, Kpis(100, errors: 3), Kpis(100)).Outcome);
    }

    [Fact]
    public void Judge_BothCeilings_TheLowerOneApplies()
    {
        var analysis = new AnalysisSpec { MinRequests = 1, Metrics = [new MetricSpec { Name = MetricSpec.LatencyP99, Max = 500, MaxRatio = 2 }] };

        var result = AnalysisJudge.Judge(analysis, Kpis(10, p99: 300), Kpis(10, p99: 100));

        Assert.Equal(AnalysisOutcome.Failed, result.Outcome);
        Assert.Contains("2× stable (200 ms)", result.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Judge_NoMetricsWritten_DefaultsToErrorRateFivePercent()
    {
        var result = AnalysisJudge.Judge(new AnalysisSpec { MinRequests = 1 }, Kpis(100, errors: 6), Kpis(100));

        Assert.Equal(AnalysisOutcome.Failed, result.Outcome);
        Assert.Equal(MetricSpec.ErrorRate, result.Metrics.Single().Metric);
    }

    [Theory]
    [InlineData(0, 4, null, 0)]
    [InlineData(10, 4, null, 1)]
    [InlineData(25, 4, null, 1)]
    [InlineData(30, 4, null, 2)]
    [InlineData(60, 4, null, 3)]
    [InlineData(100, 4, null, 4)]
    [InlineData(10, 4, 2, 2)]
    public void CanaryReplicas_SizedToTheWeightUnlessFixed(int weight, int desired, int? fixedReplicas, int expected) =>
        Assert.Equal(expected, Berth.Engine.Progressive.CanaryPlanner.ReplicasFor(weight, desired, fixedReplicas));
}
