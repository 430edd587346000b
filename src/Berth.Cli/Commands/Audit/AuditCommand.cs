using System.Globalization;
using Berth.Cli.Api;
using Berth.Cli.Output;
using Spectre.Console;

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

        var table = new Table().Border(TableBorder.Simple);
        foreach (var column in new[] { "TIME", "WHO", "ACTION", "TARGET", "RESULT", "FROM", "DETAIL" })
        {
            table.AddColumn(new TableColumn(column).NoWrap());
        }

        foreach (var entry in entries)
        {
            table.AddRow(
                new Text(EventTime.Format(entry.At)),
                new Text(entry.Role is null ? entry.Who : $"{entry.Who} ({entry.Role})"),
                new Text(entry.Action),
                new Text(entry.Target ?? "-"),
                new Text(entry.Result == "ok" ? "ok" : $"{entry.Result} ({entry.Status.ToString(CultureInfo.InvariantCulture)})"),
                new Text(entry.From ?? "-"),
                new Text(entry.Detail ?? ""));
        }

        Cli.Out.Write(table);
        return ExitCodes.Ok;
    }
}
