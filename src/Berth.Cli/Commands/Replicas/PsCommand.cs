using Berth.Cli.Api;
using Berth.Cli.Output;

namespace Berth.Cli.Commands.Replicas;

/// <summary>`berth ps STACK`: the replicas of a stack (docker stack ps).</summary>
public sealed class PsCommand : ApiCommand<PsSettings>
{
    public PsCommand(CliEnvironment cli)
        : base(cli)
    {
    }

    protected override async Task<int> ExecuteAsync(BerthApiClient client, PsSettings settings, CancellationToken cancellationToken)
    {
        var replicas = ReplicaTable.Filter(await client.ListReplicasAsync(settings.TargetStack, service: null, cancellationToken, settings.All).ConfigureAwait(false), settings.All);
        if (settings.Json)
        {
            ConsoleText.WriteJson(Cli.Out, replicas);
        }
        else if (settings.Quiet)
        {
            foreach (var replica in replicas)
            {
                ConsoleText.WriteLine(Cli.Out, replica.Id);
            }
        }
        else if (settings.Format is { } template)
        {
            ListFormat.Parse(template, ReplicaTable.Table.Fields).Write(Cli.Out, ReplicaTable.Table, replicas);
        }
        else
        {
            ReplicaTable.Table.Write(Cli.Out, replicas);
        }

        return ExitCodes.Ok;
    }
}
