using Berth.Engine.Gates;
using Berth.Spec;
using Berth.Store;

namespace Berth.Engine.Progressive;

/// <summary>
/// One analysis of a rollout over time (a canary step's, the canary's background one, a blue/green gate's): takes a
/// measurement when one is due (<see cref="AnalysisJudge"/> judges it), counts it, and ends the analysis — passed
/// once its count is reached, the rollout aborted past failure_limit, paused past inconclusive_limit.
/// </summary>
internal static class AnalysisRun
{
    /// <summary>How often a measurement waiting for the routers' reports looks again.</summary>
    internal static readonly TimeSpan ReportPoll = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Measures if due. The result says whether the analysis passed in this call, or ended the rollout's pass (failed:
    /// the rollout is aborted; inconclusive: it is paused — the plan to return), or when the next measurement is due.
    /// </summary>
    public static Measured Measure(PlanBuilder pass, AnalysisSpec analysis, bool background)
    {
        var now = pass.Now;
        var tally = TallyOf(pass, background);
        if (tally.LastAt is null || Spent(tally, analysis))
        {
            // A new run: its first interval starts now, so traffic before it (an earlier weight, or what made the last
            // run inconclusive before `berth rollout resume`) does not count. A spent run keeps its counts until here so
            // the paused rollout's status agrees with its reason.
            Set(pass, background, new AnalysisTally { LastAt = now });
            return Measured.Until(now + analysis.Interval);
        }

        var due = tally.LastAt.Value + analysis.Interval;
        if (now < due)
        {
            return Measured.Until(due);
        }

        var input = pass.Input;
        var candidate = AnalysisInterval.Read(input.Kpis, input.Service, pass.Rollout.ToRelease, analysis.Interval, due, now);
        var stable = AnalysisInterval.Read(input.Kpis, input.Service, input.StableRelease, analysis.Interval, due, now);
        if (candidate is null || stable is null)
        {
            return Measured.Until(now + ReportPoll);
        }

        var measuredUntil = AnalysisInterval.MeasuredUntil(due, now);

        var measurement = AnalysisJudge.Judge(analysis, candidate, stable);
        tally = tally with
        {
            Measurements = tally.Measurements + 1,
            Failed = tally.Failed + (measurement.Outcome == AnalysisOutcome.Failed ? 1 : 0),
            Inconclusive = tally.Inconclusive + (measurement.Outcome == AnalysisOutcome.Inconclusive ? 1 : 0),
            LastAt = measuredUntil,
        };
        Set(pass, background, tally);
        var which = background ? "background analysis" : pass.Progress.Phase == RolloutPhases.Promoted ? "post-promotion analysis" : "analysis";
        var step = pass.StepIndex;
        var data = new Dictionary<string, string>(measurement.Data(), StringComparer.Ordinal)
        {
            ["weight"] = PlanBuilder.Text(pass.Progress.Weight),
            ["measurement"] = PlanBuilder.Text(tally.Measurements),
            ["window"] = DurationText.Format(analysis.Interval),
        };
        pass.Decide(step, RolloutDecisionKinds.Analysis(measurement.Outcome.ToString().ToLowerInvariant()), $"{which} #{tally.Measurements}: {measurement.Summary}", data);
        pass.RecordSamples(candidate, stable);

        if (tally.Failed > analysis.FailureLimit)
        {
            return new Measured(false, now, pass.Abort($"{which} failed {tally.Failed} time(s) in {Count(tally.Measurements)} (failure_limit {analysis.FailureLimit}): {measurement.Summary}", data));
        }

        if (tally.Inconclusive > analysis.InconclusiveLimit)
        {
            return new Measured(false, now, pass.Pause(step, $"{which} inconclusive {tally.Inconclusive} time(s) in {Count(tally.Measurements)} (inconclusive_limit {analysis.InconclusiveLimit}): {measurement.Summary}; resume to measure again or promote to go on", pass.Progress.Phase));
        }

        return !background && Passed(tally, analysis) ? new Measured(true, now, null) : Measured.Until(measuredUntil + analysis.Interval);
    }

    /// <summary>The analysis took its count of measurements, inconclusive ones not counted.</summary>
    public static bool Passed(AnalysisTally tally, AnalysisSpec analysis) =>
        analysis.Count is { } count && tally.Measurements - tally.Inconclusive >= count;

    /// <summary>"3 measurements (2 passed, 1 inconclusive)": the counts a passed analysis reports.</summary>
    public static string Summary(AnalysisTally tally)
    {
        var passed = tally.Measurements - tally.Failed - tally.Inconclusive;
        var parts = new List<string> { $"{passed} passed" };
        if (tally.Failed > 0)
        {
            parts.Add($"{tally.Failed} failed");
        }

        if (tally.Inconclusive > 0)
        {
            parts.Add($"{tally.Inconclusive} inconclusive");
        }

        return $"{Count(tally.Measurements)}: {string.Join(", ", parts)}";
    }

    /// <summary>A run that paused the rollout for inconclusive measurements: resuming starts a new one.</summary>
    private static bool Spent(AnalysisTally tally, AnalysisSpec analysis) => tally.Inconclusive > analysis.InconclusiveLimit;

    private static string Count(int measurements) => measurements == 1 ? "1 measurement" : $"{PlanBuilder.Text(measurements)} measurements";

    private static AnalysisTally TallyOf(PlanBuilder pass, bool background) =>
        background ? pass.Progress.BackgroundAnalysis : pass.Progress.StepAnalysis;

    private static void Set(PlanBuilder pass, bool background, AnalysisTally tally) =>
        pass.Progress = background ? pass.Progress with { BackgroundAnalysis = tally } : pass.Progress with { StepAnalysis = tally };
}

/// <summary>
/// What a call to <see cref="AnalysisRun.Measure"/> came to: the analysis passed (its count reached), or it ended the
/// pass with <see cref="Ended"/> (the rollout aborted or paused), or it goes on and measures next at <see cref="Next"/>.
/// </summary>
internal readonly record struct Measured(bool Passed, DateTimeOffset Next, ProgressivePlan? Ended)
{
    public static Measured Until(DateTimeOffset next) => new(false, next, null);
}
