using System.Globalization;
using Berth.Cli.Api;
using Berth.Cli.Output;
using Berth.Api;

namespace Berth.Cli.Commands.Audit;

/// <summary>`berth audit`: who changed what, and who was refused, oldest first (admin).</summary>
public sealed class AuditCommand : ApiCommand<AuditSettings>
{
    public AuditCommand(CliEnvironment cli)
        : base(cli)
    {
    }

    protected override async Task<int> ExecuteAsync(BerthApiClient client, AuditSettings settings, CancellationToken cancellationToken)
    {
        var entries = await client.GetAuditAsync(settings.SinceTime(Cli.Time.GetUtcNow()), settings.LimitCount, cancellationToken).ConfigureAwait(false);
        if (settings.Json)
        {
            ConsoleText.WriteJson(Cli.Out, entries);
            return ExitCodes.Ok;
        }

        Table.Write(Cli.Out, entries);
        return ExitCodes.Ok;
    }

    private static ListTable<AuditEntryInfo> Table { get; } = new(
        new ListColumn<AuditEntryInfo>("TIME", "At", e => EventTime.Format(e.At)),
        new ListColumn<AuditEntryInfo>("WHO", "Who", e => e.Role is null ? e.Who : $"{e.Who} ({e.Role})"),
        new ListColumn<AuditEntryInfo>("ACTION", "Action", e => e.Action),
        new ListColumn<AuditEntryInfo>("TARGET", "Target", e => e.Target ?? "-"),
        new ListColumn<AuditEntryInfo>("RESULT", "Result", e => e.Result == "ok" ? "ok" : $"{e.Result} ({e.Status.ToString(CultureInfo.InvariantCulture)})")
        {
            Color = e => e.Result == "ok" ? null : e.Result is "denied" or "unauthenticated" or "throttled" ? "red" : "yellow",
        },
        new ListColumn<AuditEntryInfo>("FROM", "From", e => e.From ?? "-"),
        new ListColumn<AuditEntryInfo>("DETAIL", "Detail", e => e.Detail ?? "") { Wrap = true });
}
