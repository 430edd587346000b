using System.Globalization;
using Berth.Cli.Api;
using Berth.Cli.Output;
using Spectre.Console;

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

        var table = new Table().Border(TableBorder.Simple);
        foreach (var column in new[] { "NAME", "SERVICES", "CREATED", "UPDATED" })
        {
            table.AddColumn(new TableColumn(column).NoWrap());
        }

        foreach (var stack in stacks.OrderBy(s => s.Name, StringComparer.Ordinal))
        {
            table.AddRow(
                new Text(stack.Name),
                new Text(stack.Services.ToString(CultureInfo.InvariantCulture)),
                new Text(EventTime.Format(stack.CreatedAt)),
                new Text(EventTime.Format(stack.UpdatedAt)));
        }

        Cli.Out.Write(table);
        return ExitCodes.Ok;
    }
}
