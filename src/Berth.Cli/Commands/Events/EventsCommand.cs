using Berth.Api;
using Berth.Cli.Api;
using Berth.Cli.Output;

namespace Berth.Cli.Commands.Events;

/// <summary>`berth events`: the event log, "TIME KIND SERVICE REPLICA MESSAGE" per line, or NDJSON with --json.</summary>
public sealed class EventsCommand : ApiCommand<EventsSettings>
{
    public EventsCommand(CliEnvironment cli)
        : base(cli)
    {
    }

    protected override async Task<int> ExecuteAsync(BerthApiClient client, EventsSettings settings, CancellationToken cancellationToken)
    {
        await foreach (var e in client.StreamEventsAsync(settings.Follow, settings.AfterSeq, settings.SinceValue?.Resolve(Cli.Time.GetUtcNow()), settings.Service, settings.TailEvents, cancellationToken).ConfigureAwait(false))
        {
            if (settings.Json)
            {
                ConsoleText.WriteJsonLine(Cli.Out, e);
            }
            else
            {
                ConsoleText.WriteLine(Cli.Out, Format(e));
            }
        }

        return ExitCodes.Ok;
    }

    /// <summary>"2026-01-02T03:04:05Z replica.started articles_app articles_app.1.abcd started pid 42"; "-" for a missing field.</summary>
    public static string Format(EventInfo e) =>
        $"{EventTime.Format(e.Time)} {e.Kind} {e.Service ?? "-"} {e.Replica ?? "-"} {e.Message}";
}
