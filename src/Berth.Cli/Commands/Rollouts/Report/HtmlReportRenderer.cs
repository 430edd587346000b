using System.Globalization;
using System.Net;
using System.Text;
using Berth.Api;
using Berth.Store;

namespace Berth.Cli.Commands.Rollouts.Report;

/// <summary>
/// The report as one self-contained HTML file: settings, timeline table and inline SVG charts (error rate and p95
/// per release over time, weight as a step line). Nothing is loaded from elsewhere; every text is HTML-encoded.
/// </summary>
public sealed class HtmlReportRenderer : IReportRenderer
{
    private const string Style =
        "body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}" +
        "th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;font-size:13px}th{background:#f4f4f4}" +
        ".outcome{font-size:15px}.failed{color:#b00}.ok{color:#070}";

    public string Render(RolloutReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var rollout = report.Rollout;
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        html.Append("<title>").Append(Encode(ReportText.Title(rollout))).Append("</title>\n");
        html.Append("<style>").Append(Style).Append("</style>\n</head>\n<body>\n");
        html.Append("<h1>").Append(Encode(ReportText.Title(rollout))).Append("</h1>\n");
        var outcomeClass = rollout.State == RolloutStates.Completed ? "ok" : rollout.Active ? string.Empty : "failed";
        html.Append(CultureInfo.InvariantCulture, $"<p class=\"outcome {outcomeClass}\"><strong>Outcome:</strong> {Encode(ReportText.Outcome(rollout))}</p>\n");
        html.Append(CultureInfo.InvariantCulture, $"<p>Rollout #{rollout.Id} ({Encode(rollout.Kind)}), started {rollout.StartedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC.</p>\n");

        html.Append("<h2>Settings</h2>\n<ul>\n");
        foreach (var line in report.Settings)
        {
            html.Append("<li>").Append(Encode(line)).Append("</li>\n");
        }

        html.Append("</ul>\n<h2>KPIs over time</h2>\n");
        if (report.Samples.Count == 0)
        {
            html.Append("<p>No samples recorded.</p>\n");
        }
        else
        {
            html.Append(Chart(report, "Error rate", s => s.ErrorRate, ReportText.Percent)).Append('\n');
            html.Append(Chart(report, "Latency p95", s => s.P95Ms, ReportText.Milliseconds)).Append('\n');
        }

        html.Append("<h2>Timeline</h2>\n");
        if (report.Timeline.Count == 0)
        {
            html.Append("<p>No decisions recorded.</p>\n");
        }
        else
        {
            html.Append("<table>\n<tr><th>Time</th><th>Step</th><th>Decision</th><th>Message</th><th>Numbers</th></tr>\n");
            foreach (var entry in report.Timeline)
            {
                html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Encode(ReportText.Offset(rollout, entry.At))}</td><td>{Encode(ReportText.Step(entry.Step))}</td>");
                html.Append(CultureInfo.InvariantCulture, $"<td>{Encode(entry.Kind)}</td><td>{Encode(entry.Message)}</td><td>{Encode(ReportText.Data(entry.Data))}</td></tr>\n");
            }

            html.Append("</table>\n");
        }

        if (report.Samples.Count > 0)
        {
            html.Append("<h2>Samples</h2>\n<table>\n<tr><th>Time</th><th>Release</th><th>Role</th><th>Weight</th><th>Req/s</th><th>Errors</th><th>p50</th><th>p95</th><th>p99</th></tr>\n");
            foreach (var s in report.Samples)
            {
                html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Encode(ReportText.Offset(rollout, s.At))}</td><td>{s.Release}</td><td>{Encode(s.Role)}</td><td>{s.Weight}%</td>");
                html.Append(CultureInfo.InvariantCulture, $"<td>{ReportText.Number(s.RequestsPerSecond)}</td><td>{ReportText.Percent(s.ErrorRate)}</td><td>{ReportText.Milliseconds(s.P50Ms)}</td>");
                html.Append(CultureInfo.InvariantCulture, $"<td>{ReportText.Milliseconds(s.P95Ms)}</td><td>{ReportText.Milliseconds(s.P99Ms)}</td></tr>\n");
            }

            html.Append("</table>\n");
        }

        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    private static string Chart(RolloutReport report, string title, Func<RolloutSampleInfo, double> value, Func<double, string> format)
    {
        double Seconds(DateTimeOffset at) => Math.Max(0, (at - report.Rollout.StartedAt).TotalSeconds);
        var chart = new SvgLineChart(title, format);
        foreach (var group in report.Samples.GroupBy(s => (s.Release, s.Role)).OrderBy(g => g.Key.Release))
        {
            chart.AddSeries(
                string.Create(CultureInfo.InvariantCulture, $"release {group.Key.Release} ({group.Key.Role})"),
                group.OrderBy(s => s.At).Select(s => (Seconds(s.At), value(s))).ToList());
        }

        var weight = report.Samples.Where(s => s.Role == "candidate").OrderBy(s => s.At).Select(s => (Seconds(s.At), (double)s.Weight)).ToList();
        return chart.WithWeight(weight).Render();
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
