using System.Globalization;
using Berth.Api;
using Berth.Cli.Api;
using Berth.Cli.Output;
using Spectre.Console;

namespace Berth.Cli.Commands.Releases;

/// <summary>`berth releases SERVICE`: a service's release history, newest first (like `helm history`, upside down).</summary>
public sealed class ReleaseListCommand : ApiCommand<ReleaseListSettings>
{
    public ReleaseListCommand(CliEnvironment cli)
        : base(cli)
    {
    }

    protected override async Task<int> ExecuteAsync(BerthApiClient client, ReleaseListSettings settings, CancellationToken cancellationToken)
    {
        var releases = await client.ListReleasesAsync(settings.Service, cancellationToken).ConfigureAwait(false);
        if (settings.Json)
        {
            ConsoleText.WriteJson(Cli.Out, releases);
            return ExitCodes.Ok;
        }

        var table = new Table().Border(TableBorder.Simple);
        foreach (var column in new[] { "NUMBER", "CREATED", "STATE", "ARTIFACT" })
        {
            table.AddColumn(new TableColumn(column).NoWrap());
        }

        // The summary is the one free-text column: let it wrap rather than push the others off the screen.
        table.AddColumn(new TableColumn("CHANGES"));
        foreach (var release in releases.OrderByDescending(r => r.Number))
        {
            table.AddRow(
                new Text(release.Number.ToString(CultureInfo.InvariantCulture)),
                new Text(EventTime.Format(release.CreatedAt)),
                new Markup(State(release)),
                new Text(release.Artifact),
                new Text(string.IsNullOrEmpty(release.Summary) ? "-" : release.Summary));
        }

        Cli.Out.Write(table);
        return ExitCodes.Ok;
    }

    private static string State(ReleaseInfo release)
    {
        var color = release.State switch
        {
            "current" => "green",
            "failed" => "red",
            _ => "default",
        };
        return $"[{color}]{Markup.Escape(release.State)}[/]";
    }
}
