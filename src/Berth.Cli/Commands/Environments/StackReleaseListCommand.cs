using System.Globalization;
using Berth.Api;
using Berth.Cli.Api;
using Berth.Cli.Output;

namespace Berth.Cli.Commands.Environments;

/// <summary>`berth release ls STACK`: the stack's releases, newest first.</summary>
public sealed class StackReleaseListCommand : ApiCommand<StackArgumentSettings>
{
    public StackReleaseListCommand(CliEnvironment cli)
        : base(cli)
    {
    }

    protected override async Task<int> ExecuteAsync(BerthApiClient client, StackArgumentSettings settings, CancellationToken cancellationToken)
    {
        var releases = await client.ListStackReleasesAsync(settings.Stack, cancellationToken).ConfigureAwait(false);
        if (settings.Json)
        {
            ConsoleText.WriteJson(Cli.Out, releases);
            return ExitCodes.Ok;
        }

        Table.Write(Cli.Out, releases.OrderByDescending(r => r.Number));
        return ExitCodes.Ok;
    }

    private static ListTable<StackReleaseInfo> Table { get; } = new(
        new ListColumn<StackReleaseInfo>("RELEASE", "Number", r => r.Number.ToString(CultureInfo.InvariantCulture)),
        new ListColumn<StackReleaseInfo>("VERSION", "Version", r => r.Version ?? "-"),
        new ListColumn<StackReleaseInfo>("CREATED", "CreatedAt", r => EventTime.Format(r.CreatedAt)),
        new ListColumn<StackReleaseInfo>("BY", "CreatedBy", r => r.CreatedBy ?? "-"),
        new ListColumn<StackReleaseInfo>("ARTIFACTS", "Artifacts", r => string.Join(", ", r.Artifacts.Select(a => $"{a.Key}={Short(a.Value)}"))) { Wrap = true },
        new ListColumn<StackReleaseInfo>("MESSAGE", "Message", r => r.Message ?? "-") { Wrap = true });

    private static string Short(string artifact) =>
        artifact.IndexOf("sha256:", StringComparison.Ordinal) is var at and >= 0 && artifact.Length > at + 19 ? artifact[..(at + 19)] : artifact;
}
