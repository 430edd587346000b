using Berth.Cli.Api;
using Berth.Cli.Output;

namespace Berth.Cli.Commands.Rollouts.Report;

/// <summary>`berth rollout report SERVICE [RELEASE]`: what a blue/green or canary rollout did and why, as Markdown, JSON or HTML.</summary>
public sealed class RolloutReportCommand : ApiCommand<RolloutReportSettings>
{
    public RolloutReportCommand(CliEnvironment cli)
        : base(cli)
    {
    }

    protected override async Task<int> ExecuteAsync(BerthApiClient client, RolloutReportSettings settings, CancellationToken cancellationToken)
    {
        var report = await client.GetRolloutReportAsync(settings.Service, settings.ReleaseNumber, cancellationToken).ConfigureAwait(false);
        var document = ReportFormats.RendererFor(settings.Format).Render(report);
        if (settings.Output is not { } output)
        {
            ConsoleText.WriteLine(Cli.Out, document.TrimEnd('\n'));
            return ExitCodes.Ok;
        }

        var path = Path.GetFullPath(output);
        try
        {
            await File.WriteAllTextAsync(path, document, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliInputException($"--output: cannot write {path}: {ex.Message}");
        }

        ConsoleText.WriteLine(Cli.Out, $"Wrote the {settings.Format} report of {report.Rollout.Service}'s rollout to release {report.Rollout.ToRelease} to {path}");
        return ExitCodes.Ok;
    }
}
