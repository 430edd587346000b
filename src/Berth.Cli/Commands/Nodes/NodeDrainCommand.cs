using Berth.Cli.Api;
using Berth.Cli.Output;

namespace Berth.Cli.Commands.Nodes;

/// <summary>`berth node drain NODE`: Swarm moves the node's replicas to other nodes; the router follows them.</summary>
public sealed class NodeDrainCommand : ApiCommand<NodeAvailabilitySettings>
{
    public NodeDrainCommand(CliEnvironment cli)
        : base(cli)
    {
    }

    protected override async Task<int> ExecuteAsync(BerthApiClient client, NodeAvailabilitySettings settings, CancellationToken cancellationToken)
    {
        var node = await client.DrainNodeAsync(settings.Node, cancellationToken).ConfigureAwait(false);
        if (settings.Json)
        {
            ConsoleText.WriteJson(Cli.Out, node);
            return ExitCodes.Ok;
        }

        ConsoleText.WriteLine(Cli.Out, $"Node {node.Hostname} ({node.Id}) is {node.Availability}: its replicas move to other active nodes");
        return ExitCodes.Ok;
    }
}
