using Berth.Cli.Api;

namespace Berth.Cli.Commands.Rollouts;

/// <summary>`berth abort SERVICE`: stops a blue/green or canary rollout; the new release gets no traffic and is removed (409 when nothing to abort).</summary>
public sealed class AbortCommand : ApiCommand<RolloutControlSettings>
{
    public AbortCommand(CliEnvironment cli)
        : base(cli)
    {
    }

    protected override async Task<int> ExecuteAsync(BerthApiClient client, RolloutControlSettings settings, CancellationToken cancellationToken)
    {
        var rollout = await client.AbortAsync(settings.Service, cancellationToken).ConfigureAwait(false);
        RolloutControl.Print(Cli, rollout, settings.Json);
        return ExitCodes.Ok;
    }
}
