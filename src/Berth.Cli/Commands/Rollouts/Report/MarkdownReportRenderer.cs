using System.Globalization;
using System.Text;
using Berth.Api;

namespace Berth.Cli.Commands.Rollouts.Report;

/// <summary>The report as Markdown: title, outcome, settings, timeline table and KPI table (for a PR comment or a wiki).</summary>
public sealed class MarkdownReportRenderer : IReportRenderer
{
    public string Render(RolloutReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var rollout = report.Rollout;
        var text = new StringBuilder();
        text.Append("# ").Append(Cell(ReportText.Title(rollout))).Append('\n').Append('\n');
        text.Append("**Outcome:** ").Append(Cell(ReportText.Outcome(rollout))).Append('\n').Append('\n');
        text.Append(CultureInfo.InvariantCulture, $"Rollout #{rollout.Id} ({rollout.Kind}), started {rollout.StartedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC.").Append('\n').Append('\n');

        text.Append("## Settings\n\n");
        foreach (var line in report.Settings)
        {
            text.Append("- ").Append(Cell(line)).Append('\n');
        }

        text.Append("\n## Timeline\n\n");
        if (report.Timeline.Count == 0)
        {
            text.Append("No decisions recorded.\n");
        }
        else
        {
            text.Append("| Time | Step | Decision | Message | Numbers |\n|---|---|---|---|---|\n");
            foreach (var entry in report.Timeline)
            {
                text.Append(CultureInfo.InvariantCulture, $"| {ReportText.Offset(rollout, entry.At)} | {ReportText.Step(entry.Step)} | {Cell(entry.Kind)} | {Cell(entry.Message)} | {Cell(ReportText.Data(entry.Data))} |\n");
            }
        }

        text.Append("\n## KPIs\n\n");
        if (report.Samples.Count == 0)
        {
            text.Append("No samples recorded.\n");
        }
        else
        {
            text.Append("| Time | Release | Role | Weight | Requests | Req/s | Errors | p50 | p95 | p99 |\n|---|---|---|---|---|---|---|---|---|---|\n");
            foreach (var sample in report.Samples)
            {
                text.Append(CultureInfo.InvariantCulture, $"| {ReportText.Offset(rollout, sample.At)} | {sample.Release} | {Cell(sample.Role)} | {sample.Weight}% | {sample.Requests} | ");
                text.Append(CultureInfo.InvariantCulture, $"{ReportText.Number(sample.RequestsPerSecond)} | {ReportText.Percent(sample.ErrorRate)} | {ReportText.Milliseconds(sample.P50Ms)} | ");
                text.Append(CultureInfo.InvariantCulture, $"{ReportText.Milliseconds(sample.P95Ms)} | {ReportText.Milliseconds(sample.P99Ms)} |\n");
            }
        }

        return text.ToString();
    }

    /// <summary>Text safe inside a table cell: pipes escaped, line breaks flattened.</summary>
    private static string Cell(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("|", "\\|", StringComparison.Ordinal).Replace("\r", " ", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
