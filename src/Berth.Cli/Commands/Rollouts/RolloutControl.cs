using Berth.Api;
using Berth.Cli.Output;

namespace Berth.Cli.Commands.Rollouts;

/// <summary>What `rollout pause`, `resume` and `retry` print: the rollout's new state.</summary>
public static class RolloutControl
{
    /// <summary>"articles_app: rollout to release 2 paused", or the RolloutInfo as JSON.</summary>
    public static void Print(CliEnvironment cli, RolloutInfo rollout, bool json)
    {
        ArgumentNullException.ThrowIfNull(cli);
        if (json)
        {
            ConsoleText.WriteJson(cli.Out, rollout);
        }
        else
        {
            ConsoleText.WriteLine(cli.Out, RolloutText.Headline(rollout));
        }
    }
}
