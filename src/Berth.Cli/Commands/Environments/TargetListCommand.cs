using Berth.Api;
using Berth.Cli.Api;
using Berth.Cli.Output;

namespace Berth.Cli.Commands.Environments;

/// <summary>`berth target ls`: the deploy targets the server defines, which environments name.</summary>
public sealed class TargetListCommand : ApiCommand<TargetListSettings>
{
    public TargetListCommand(CliEnvironment cli)
        : base(cli)
    {
    }

    protected override async Task<int> ExecuteAsync(BerthApiClient client, TargetListSettings settings, CancellationToken cancellationToken)
    {
        var targets = await client.ListTargetsAsync(cancellationToken).ConfigureAwait(false);
        if (settings.Json)
        {
            ConsoleText.WriteJson(Cli.Out, targets);
            return ExitCodes.Ok;
        }

        Table.Write(Cli.Out, targets);
        return ExitCodes.Ok;
    }

    private static ListTable<TargetInfo> Table { get; } = new(
        new ListColumn<TargetInfo>("NAME", "Name", t => t.Name),
        new ListColumn<TargetInfo>("KIND", "Kind", t => t.Kind),
        new ListColumn<TargetInfo>("ENDPOINT", "Endpoint", t => t.Endpoint ?? "-"),
        new ListColumn<TargetInfo>("DESCRIPTION", "Description", t => t.Description) { Wrap = true });
}

/// <summary>`berth target ls [--json]`.</summary>
public sealed class TargetListSettings : ApiCommandSettings
{
    [Spectre.Console.Cli.CommandOption("--json")]
    [System.ComponentModel.Description("Print the targets as a JSON array of TargetInfo.")]
    public bool Json { get; init; }
}
