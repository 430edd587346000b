using System.Text.Json;
using System.Xml.Linq;
using Berth.Api;
using Berth.Cli.Commands.Rollouts.Report;
using Berth.Tests.Infrastructure;

namespace Berth.Tests.Cli;

public sealed class ReportCommandTests
{
    [Fact]
    public async Task RolloutReport_Default_MarkdownWithTimelineRowsAndNumbers()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.OnJson("GET", ApiRoutes.RolloutReport("articles_app"), () => StrategySamples.Report());

        var run = await CliRun.RunAsync(api, "rollout", "report", "articles_app");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("# Rollout report: articles_app, release 1 → 2 (canary)", run.Out);
        Assert.Contains("**Outcome:** aborted after 1m35s: analysis failed", run.Out);
        Assert.Contains("- steps: 1. weight 20, 2. analysis (3 × 5s), 3. weight 50", run.Out);
        Assert.Contains("| +1m05s | 2 | analysis.failed | error_rate 0.12 > 0.05 | metric=error_rate, max=0.05, measured=0.12, requests=57 |", run.Out);
        Assert.Contains("| +1m35s | - | aborted | analysis failed |  |", run.Out);
        Assert.Contains("| +1m05s | 2 | candidate | 20% | 50 | 10 | 12% | 3ms | 310ms | 620ms |", run.Out);
        Assert.Equal(string.Empty, Assert.Single(api.Requests).Query);
    }

    [Fact]
    public async Task RolloutReport_ReleaseAndJson_AsksForReleaseAndRoundTrips()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.OnJson("GET", ApiRoutes.RolloutReport("articles_app"), () => StrategySamples.Report());

        var run = await CliRun.RunAsync(api, "rollout", "report", "articles_app", "2", "--format", "json");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("?release=2", Assert.Single(api.Requests).Query);
        var back = JsonSerializer.Deserialize<RolloutReport>(run.Out, ApiJson.Options)!;
        var expected = StrategySamples.Report();
        Assert.Equal(expected.Rollout with { Progress = null }, back.Rollout with { Progress = null });
        Assert.Equal(expected.Settings, back.Settings);
        Assert.Equal(expected.Samples, back.Samples);
        Assert.Equal(expected.Timeline.Select(t => (t.At, t.Step, t.Kind, t.Message)), back.Timeline.Select(t => (t.At, t.Step, t.Kind, t.Message)));
        Assert.Equal("57", back.Timeline[1].Data["requests"]);
    }

    [Fact]
    public async Task RolloutReport_HtmlToFile_WritesSelfContainedDocument()
    {
        using var dir = new TempDirectory();
        var file = Path.Combine(dir.Path, "report.html");
        await using var api = await FakeBerthApi.StartAsync();
        api.OnJson("GET", ApiRoutes.RolloutReport("articles_app"), () => StrategySamples.Report());

        var run = await CliRun.RunAsync(api, "rollout", "report", "articles_app", "--format", "html", "--output", file);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains(file, run.Out);
        var html = await File.ReadAllTextAsync(file);
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Contains("<svg", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org/2000/svg", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RolloutReport_BadFormat_ExitsTwoNamingChoices()
    {
        await using var api = await FakeBerthApi.StartAsync();

        var run = await CliRun.RunAsync(api, "rollout", "report", "articles_app", "--format", "pdf");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("--format: 'pdf' is not one of md, json, html", run.Out + run.Error);
        Assert.Empty(api.Requests);
    }

    [Fact]
    public async Task RolloutReport_NoneFound_ExitsOneWithServerMessage()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.OnError("GET", ApiRoutes.RolloutReport("articles_app"), 404, "service articles_app has had no blue/green or canary rollout");

        var run = await CliRun.RunAsync(api, "rollout", "report", "articles_app");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("error: service articles_app has had no blue/green or canary rollout", run.Error);
    }

    [Fact]
    public void HtmlRenderer_ScriptInMessage_EscapedAndDocumentParses()
    {
        var html = new HtmlReportRenderer().Render(StrategySamples.Report(message: "<script>alert('x')</script> & \"quotes\""));

        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quotes&quot;", html, StringComparison.Ordinal);

        // Well-formed enough to parse as XML once the doctype is dropped: every tag closed, every entity valid.
        var document = XDocument.Parse(html.Replace("<!DOCTYPE html>", string.Empty, StringComparison.Ordinal).Replace("<meta charset=\"utf-8\">", "<meta charset=\"utf-8\"/>", StringComparison.Ordinal));
        XNamespace svg = "http://www.w3.org/2000/svg";
        var charts = document.Descendants(svg + "svg").ToList();
        Assert.Equal(2, charts.Count);
        Assert.Equal(2, charts[0].Elements(svg + "polyline").Count());
        Assert.Single(charts[0].Elements(svg + "path"));
    }

    [Fact]
    public void MarkdownRenderer_PipeInMessage_Escaped()
    {
        var markdown = new MarkdownReportRenderer().Render(StrategySamples.Report(message: "a | b"));

        Assert.Contains("a \\| b", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Renderers_NoTimelineNoSamples_SayNothingRecorded()
    {
        var empty = StrategySamples.Report() with { Timeline = [], Samples = [] };

        Assert.Contains("No decisions recorded.", new MarkdownReportRenderer().Render(empty), StringComparison.Ordinal);
        var html = new HtmlReportRenderer().Render(empty);
        Assert.Contains("No samples recorded.", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<svg", html, StringComparison.Ordinal);
    }
}
