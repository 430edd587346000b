using Berth.Cli.Api;
using Berth.Cli.Output;

namespace Berth.Cli.Commands.Replicas;

/// <summary>`berth replica ls`: replicas across stacks, optionally filtered.</summary>
public sealed class ReplicaListCommand : ApiCommand<ReplicaListSettings>
{
    public ReplicaListCommand(CliEnvironment cli)
        : base(cli)
    {
    }

    protected override async Task<int> ExecuteAsync(BerthApiClient client, ReplicaListSettings settings, CancellationToken cancellationToken)
    {
        var replicas = ReplicaTable.Filter(await client.ListReplicasAsync(settings.Stack, settings.Service, cancellationToken, settings.All).ConfigureAwait(false), settings.All);
        if (settings.Json)
        {
            ConsoleText.WriteJson(Cli.Out, replicas);
        }
        else
        {
            ReplicaTable.Table.Write(Cli.Out, replicas);
        }

        return ExitCodes.Ok;
    }
}
