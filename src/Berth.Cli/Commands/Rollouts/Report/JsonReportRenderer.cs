using System.Text.Json;
using Berth.Api;
using Berth.Cli.Json;
using Berth.Cli.Output;

namespace Berth.Cli.Commands.Rollouts.Report;

/// <summary>The <see cref="RolloutReport"/> exactly as the API returns it, indented.</summary>
public sealed class JsonReportRenderer : IReportRenderer
{
    public string Render(RolloutReport report) => JsonSerializer.Serialize(report, ConsoleText.IndentedJson.Info<RolloutReport>());
}
