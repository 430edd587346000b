using Berth.Api;
using Berth.Cli.Api;
using Berth.Cli.Output;

namespace Berth.Cli.Commands.Rollouts;

/// <summary>
/// `berth promote SERVICE [--full]`: the go-ahead for a blue/green or canary rollout waiting at a pause or gate
/// (409 when none waits). The engine makes the move; this prints the rollout's state.
/// </summary>
public sealed class PromoteCommand : ApiCommand<PromoteSettings>
{
    public PromoteCommand(CliEnvironment cli)
        : base(cli)
    {
    }

    protected override async Task<int> ExecuteAsync(BerthApiClient client, PromoteSettings settings, CancellationToken cancellationToken)
    {
        var rollout = await client.PromoteAsync(settings.Service, new PromoteRequest(settings.Full), cancellationToken).ConfigureAwait(false);
        if (settings.Json)
        {
            ConsoleText.WriteJson(Cli.Out, rollout);
            return ExitCodes.Ok;
        }

        var what = settings.Full ? "Full promotion (remaining steps and analysis skipped)" : "Promotion";
        ConsoleText.WriteLine(Cli.Out, $"{what} of {rollout.Service} to release {rollout.ToRelease} requested");
        ConsoleText.WriteLine(Cli.Out, RolloutText.Headline(rollout));
        return ExitCodes.Ok;
    }
}
