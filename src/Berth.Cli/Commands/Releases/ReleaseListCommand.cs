using System.Globalization;
using Berth.Api;
using Berth.Cli.Api;
using Berth.Cli.Output;

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

        Table.Write(Cli.Out, releases.OrderByDescending(r => r.Number));
        return ExitCodes.Ok;
    }

    /// <summary>The release list; its last column, the summary, is the one free text: it may wrap on a terminal.</summary>
    private static ListTable<ReleaseInfo> Table { get; } = new(
        new ListColumn<ReleaseInfo>("NUMBER", "Number", r => r.Number.ToString(CultureInfo.InvariantCulture)),
        new ListColumn<ReleaseInfo>("CREATED", "Created", r => EventTime.Format(r.CreatedAt)),
        new ListColumn<ReleaseInfo>("STATE", "State", r => r.State) { Color = r => StateColor(r.State) },
        new ListColumn<ReleaseInfo>("ARTIFACT", "Artifact", r => r.Artifact),
        new ListColumn<ReleaseInfo>("DIGEST", "Digest", DigestText),
        new ListColumn<ReleaseInfo>("CHANGES", "Changes", r => string.IsNullOrEmpty(r.Summary) ? "-" : r.Summary) { Wrap = true });

    /// <summary>The pinned digest as docker shows IDs (12 hex digits), "(local)" for an engine's image ID, "-" for none.</summary>
    private static string DigestText(ReleaseInfo release) =>
        release.Digest is not { } digest ? "-"
        : Berth.Images.ImagePin.Short(digest) + (Berth.Images.ImagePin.IsLocalImageId(release.PinnedImage) ? " (local)" : "");

    private static string? StateColor(string state) => state switch
    {
        "current" => "green",
        "failed" => "red",
        _ => null,
    };
}
