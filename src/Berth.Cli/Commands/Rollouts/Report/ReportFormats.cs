namespace Berth.Cli.Commands.Rollouts.Report;

/// <summary>The formats of `berth rollout report --format`, and the renderer of each.</summary>
public static class ReportFormats
{
    public const string Markdown = "md";
    public const string Json = "json";
    public const string Html = "html";

    public static IReadOnlyList<string> All { get; } = [Markdown, Json, Html];

    public static IReportRenderer RendererFor(string format) => format switch
    {
        Json => new JsonReportRenderer(),
        Html => new HtmlReportRenderer(),
        _ => new MarkdownReportRenderer(),
    };
}
