using Berth.Cli.Api;
using Berth.Cli.Output;

namespace Berth.Cli.Commands.Logs;

/// <summary>`berth logs SERVICE`: replica output, each line prefixed with its replica id ("articles_app.1.abcd | line").</summary>
public sealed class LogsCommand : ApiCommand<LogsSettings>
{
    public LogsCommand(CliEnvironment cli)
        : base(cli)
    {
    }

    protected override async Task<int> ExecuteAsync(BerthApiClient client, LogsSettings settings, CancellationToken cancellationToken)
    {
        await foreach (var entry in client.StreamLogsAsync(settings.TargetService, settings.TailLines, settings.SinceValue?.Resolve(Cli.Time.GetUtcNow()), settings.Follow, cancellationToken).ConfigureAwait(false))
        {
            ConsoleText.WriteLine(Cli.Out, $"{entry.Replica} | {entry.Text}");
        }

        return ExitCodes.Ok;
    }
}
