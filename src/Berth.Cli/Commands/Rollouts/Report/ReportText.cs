using System.Globalization;
using Berth.Api;

namespace Berth.Cli.Commands.Rollouts.Report;

/// <summary>The words and numbers every report format shares: title, outcome, time offsets, KPI figures.</summary>
public static class ReportText
{
    /// <summary>"Rollout report: articles_app, release 1 → 2 (canary)".</summary>
    public static string Title(RolloutInfo rollout)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        return $"Rollout report: {rollout.Service}, release {RolloutText.FromTo(rollout)} ({rollout.Strategy})";
    }

    /// <summary>"aborted after 2m10s: analysis failed: error_rate 0.12 > 0.05".</summary>
    public static string Outcome(RolloutInfo rollout)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        var verb = rollout.Active ? "running for" : "after";
        var line = $"{rollout.State} {verb} {Offset(rollout.UpdatedAt - rollout.StartedAt)}";
        return string.IsNullOrEmpty(rollout.Reason) ? line : $"{line}: {rollout.Reason}";
    }

    /// <summary>"+1m05s" from the rollout's start.</summary>
    public static string Offset(RolloutInfo rollout, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        return "+" + Offset(at - rollout.StartedAt);
    }

    /// <summary>"1m05s", "12s", "0s".</summary>
    public static string Offset(TimeSpan span)
    {
        if (span < TimeSpan.Zero)
        {
            span = TimeSpan.Zero;
        }

        var seconds = (long)Math.Round(span.TotalSeconds);
        return seconds switch
        {
            >= 3600 => string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600}h{seconds % 3600 / 60:00}m{seconds % 60:00}s"),
            >= 60 => string.Create(CultureInfo.InvariantCulture, $"{seconds / 60}m{seconds % 60:00}s"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{seconds}s"),
        };
    }

    /// <summary>The step column: "3", or "-" for rollout-level entries.</summary>
    public static string Step(int? step) => step?.ToString(CultureInfo.InvariantCulture) ?? "-";

    /// <summary>"metric=error_rate, max=0.05, measured=0.12" in key order as the server sent it.</summary>
    public static string Data(IReadOnlyDictionary<string, string> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return string.Join(", ", data.Select(pair => $"{pair.Key}={pair.Value}"));
    }

    public static string Percent(double fraction) => (fraction * 100).ToString("0.##", CultureInfo.InvariantCulture) + "%";

    public static string Milliseconds(double value) => value.ToString("0.#", CultureInfo.InvariantCulture) + "ms";

    public static string Number(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}
