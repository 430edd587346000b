using System.Globalization;
using Berth.Spec;

namespace Berth.Engine.Progressive;

/// <summary>
/// The one way a canary step is put into words: the engine's decisions, `rollout status` and `rollout report` all
/// use it, so a step reads the same everywhere.
/// </summary>
public static class CanaryStepText
{
    /// <summary>"weight 20", "pause 30s", "pause (until promote)", "analysis (3 × 5s)", "replicas 2", "match header X-Beta=yes".</summary>
    public static string Describe(CanaryStepSpec step)
    {
        ArgumentNullException.ThrowIfNull(step);
        return step.Kind switch
        {
            CanaryStepSpec.WeightKind => Invariant($"weight {step.Weight ?? 0}"),
            CanaryStepSpec.PauseKind => step.Pause is { } pause ? $"pause {DurationText.Format(pause)}" : "pause (until promote)",
            CanaryStepSpec.AnalysisKind => step.Analysis is { } analysis ? $"analysis ({Measurements(analysis)})" : "analysis",
            CanaryStepSpec.ReplicasKind => Invariant($"replicas {step.Replicas ?? 0}"),
            CanaryStepSpec.MatchKind => step.Match is { } match ? $"match {Match(match)}" : "match",
            _ => step.Kind,
        };
    }

    /// <summary>"header X-Beta=yes" or "cookie beta=1".</summary>
    public static string Match(MatchSpec match)
    {
        ArgumentNullException.ThrowIfNull(match);
        return match.Header is { } header ? $"header {header}={match.Value}" : $"cookie {match.Cookie}={match.Value}";
    }

    /// <summary>"3 × 5s", or "every 10s" when the count is open.</summary>
    public static string Measurements(AnalysisSpec analysis)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        return analysis.Count is { } count
            ? Invariant($"{count} × {DurationText.Format(analysis.Interval)}")
            : $"every {DurationText.Format(analysis.Interval)}";
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
