using Berth.Api;

namespace Berth.Cli.Commands.Rollouts.Report;

/// <summary>Turns a <see cref="RolloutReport"/> into one document (Markdown, JSON or HTML).</summary>
public interface IReportRenderer
{
    string Render(RolloutReport report);
}
