using System.Globalization;
using Berth.Cli.Api;
using Berth.Cli.Output;
using Spectre.Console;

namespace Berth.Cli.Commands.Nodes;

/// <summary>`berth node ls`: the nodes replicas run on (docker node ls).</summary>
public sealed class NodeListCommand : ApiCommand<NodeListSettings>
{
    public NodeListCommand(CliEnvironment cli)
        : base(cli)
    {
    }

    protected override async Task<int> ExecuteAsync(BerthApiClient client, NodeListSettings settings, CancellationToken cancellationToken)
    {
        var nodes = await client.ListNodesAsync(cancellationToken).ConfigureAwait(false);
        if (settings.Json)
        {
            ConsoleText.WriteJson(Cli.Out, nodes);
            return ExitCodes.Ok;
        }

        var table = new Table().Border(TableBorder.Simple);
        foreach (var column in new[] { "ID", "HOSTNAME", "ROLE", "AVAILABILITY", "STATE", "REPLICAS" })
        {
            table.AddColumn(new TableColumn(column).NoWrap());
        }

        foreach (var node in nodes)
        {
            table.AddRow(
                new Text(node.Id),
                new Text(node.Hostname),
                new Text(node.Role),
                new Text(node.Availability),
                new Text(node.State),
                new Text(node.Replicas.ToString(CultureInfo.InvariantCulture)));
        }

        Cli.Out.Write(table);
        return ExitCodes.Ok;
    }
}
