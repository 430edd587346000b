using Berth.Cli.Api;

namespace Berth.Cli.Commands.Rollouts;

/// <summary>`berth rollout resume SERVICE`: continues a paused rollout (409 when nothing is paused).</summary>
public sealed class RolloutResumeCommand : ApiCommand<RolloutControlSettings>
{
    public RolloutResumeCommand(CliEnvironment cli)
        : base(cli)
    {
    }

    protected override async Task<int> ExecuteAsync(BerthApiClient client, RolloutControlSettings settings, CancellationToken cancellationToken)
    {
        var rollout = await client.ResumeRolloutAsync(settings.Service, cancellationToken).ConfigureAwait(false);
        RolloutControl.Print(Cli, rollout, settings.Json);
        return ExitCodes.Ok;
    }
}
