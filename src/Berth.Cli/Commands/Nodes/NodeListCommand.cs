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

        // Only a server with targets elsewhere has nodes that are not its own; without them the output stays as it was.
        (nodes.Any(n => n.Target is not null) ? WithTarget : Table).Write(Cli.Out, nodes);
        return ExitCodes.Ok;
    }

    private static ListTable<NodeInfo> Table { get; } = new(Columns);

    private static ListTable<NodeInfo> WithTarget { get; } = new([.. Columns, new ListColumn<NodeInfo>("TARGET", "Target", n => n.Target ?? "local")]);

    private static ListColumn<NodeInfo>[] Columns =>
    [
        new ListColumn<NodeInfo>("ID", "ID", n => n.Id),
        new ListColumn<NodeInfo>("HOSTNAME", "Hostname", n => n.Hostname),
        new ListColumn<NodeInfo>("ROLE", "Role", n => n.Role),
        new ListColumn<NodeInfo>("AVAILABILITY", "Availability", n => n.Availability),
        new ListColumn<NodeInfo>("STATE", "State", n => n.State),
        new ListColumn<NodeInfo>("REPLICAS", "Replicas", n => n.Replicas.ToString(CultureInfo.InvariantCulture)),
    ];
}
