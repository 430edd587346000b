using Berth.Cli.Api;

namespace Berth.Cli.Commands.Rollouts;

/// <summary>`berth rollout pause SERVICE`: stops the active rollout where it is (409 when nothing is rolling out).</summary>
public sealed class RolloutPauseCommand : ApiCommand<RolloutControlSettings>
{
    public RolloutPauseCommand(CliEnvironment cli)
        : base(cli)
    {
    }

    protected override async Task<int> ExecuteAsync(BerthApiClient client, RolloutControlSettings settings, CancellationToken cancellationToken)
    {
        var rollout = await client.PauseRolloutAsync(settings.Service, cancellationToken).ConfigureAwait(false);
        RolloutControl.Print(Cli, rollout, settings.Json);
        return ExitCodes.Ok;
    }
}
