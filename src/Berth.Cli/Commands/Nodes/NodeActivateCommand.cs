using Berth.Cli.Api;
using Berth.Cli.Output;

namespace Berth.Cli.Commands.Nodes;

/// <summary>`berth node activate NODE`: the node takes replicas again.</summary>
public sealed class NodeActivateCommand : ApiCommand<NodeAvailabilitySettings>
{
    public NodeActivateCommand(CliEnvironment cli)
        : base(cli)
    {
    }

    protected override async Task<int> ExecuteAsync(BerthApiClient client, NodeAvailabilitySettings settings, CancellationToken cancellationToken)
    {
        var node = await client.ActivateNodeAsync(settings.Node, cancellationToken).ConfigureAwait(false);
        if (settings.Json)
        {
            ConsoleText.WriteJson(Cli.Out, node);
            return ExitCodes.Ok;
        }

        ConsoleText.WriteLine(Cli.Out, $"Node {node.Hostname} ({node.Id}) is {node.Availability}");
        return ExitCodes.Ok;
    }
}
