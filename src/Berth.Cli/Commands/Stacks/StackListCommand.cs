using System.Globalization;
using Berth.Api;
using Berth.Cli.Api;
using Berth.Cli.Output;

namespace Berth.Cli.Commands.Stacks;

/// <summary>`berth stack ls`: the deployed stacks.</summary>
public sealed class StackListCommand : ApiCommand<StackListSettings>
{
    public StackListCommand(CliEnvironment cli)
        : base(cli)
    {
    }

    protected override async Task<int> ExecuteAsync(BerthApiClient client, StackListSettings settings, CancellationToken cancellationToken)
    {
        var stacks = await client.ListStacksAsync(cancellationToken).ConfigureAwait(false);
        if (settings.Json)
        {
            ConsoleText.WriteJson(Cli.Out, stacks);
            return ExitCodes.Ok;
        }

        Table.Write(Cli.Out, stacks.OrderBy(s => s.Name, StringComparer.Ordinal));
        return ExitCodes.Ok;
    }

    private static ListTable<StackInfo> Table { get; } = new(
        new ListColumn<StackInfo>("NAME", "Name", s => s.Name),
        new ListColumn<StackInfo>("SERVICES", "Services", s => s.Services.ToString(CultureInfo.InvariantCulture)),
        new ListColumn<StackInfo>("CREATED", "Created", s => EventTime.Format(s.CreatedAt)),
        new ListColumn<StackInfo>("UPDATED", "Updated", s => EventTime.Format(s.UpdatedAt)));
}
