using System.Globalization;
using Berth.Api;
using Berth.Cli.Api;
using Berth.Cli.Output;

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

        Table.Write(Cli.Out, nodes);
        return ExitCodes.Ok;
    }

    private static ListTable<NodeInfo> Table { get; } = new(
        new ListColumn<NodeInfo>("ID", "ID", n => n.Id),
        new ListColumn<NodeInfo>("HOSTNAME", "Hostname", n => n.Hostname),
        new ListColumn<NodeInfo>("ROLE", "Role", n => n.Role),
        new ListColumn<NodeInfo>("AVAILABILITY", "Availability", n => n.Availability),
        new ListColumn<NodeInfo>("STATE", "State", n => n.State),
        new ListColumn<NodeInfo>("REPLICAS", "Replicas", n => n.Replicas.ToString(CultureInfo.InvariantCulture)));
}
