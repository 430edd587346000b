using Berth.Cli.Api;

namespace Berth.Cli.Commands.Rollouts;

/// <summary>`berth rollout retry SERVICE`: an aborted blue/green or canary rollout starts again from its first step (409 when there is none).</summary>
public sealed class RolloutRetryCommand : ApiCommand<RolloutControlSettings>
{
    public RolloutRetryCommand(CliEnvironment cli)
        : base(cli)
    {
    }

    protected override async Task<int> ExecuteAsync(BerthApiClient client, RolloutControlSettings settings, CancellationToken cancellationToken)
    {
        var rollout = await client.RetryRolloutAsync(settings.Service, cancellationToken).ConfigureAwait(false);
        RolloutControl.Print(Cli, rollout, settings.Json);
        return ExitCodes.Ok;
    }
}
