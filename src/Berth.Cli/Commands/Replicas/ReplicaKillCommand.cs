using Berth.Cli.Api;
using Berth.Cli.Output;

namespace Berth.Cli.Commands.Replicas;

/// <summary>`berth replica kill ID`: kills one replica; the restart policy decides what happens next.</summary>
public sealed class ReplicaKillCommand : ApiCommand<ReplicaKillSettings>
{
    public ReplicaKillCommand(CliEnvironment cli)
        : base(cli)
    {
    }

    protected override async Task<int> ExecuteAsync(BerthApiClient client, ReplicaKillSettings settings, CancellationToken cancellationToken)
    {
        await client.KillReplicaAsync(settings.Id, cancellationToken).ConfigureAwait(false);
        ConsoleText.WriteLine(Cli.Out, $"Killed replica {settings.Id}");
        return ExitCodes.Ok;
    }
}
