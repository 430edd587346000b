using Berth.Api;
using Berth.Cli.Api;
using Berth.Cli.Output;
using Spectre.Console;
using Berth.Store;
using Berth.Spec;

namespace Berth.Cli.Commands.Rollouts;

/// <summary>`berth rollout status SERVICE`: the latest rollout; with --watch, waits for it to settle (like `docker stack deploy --detach=false`).</summary>
public sealed class RolloutStatusCommand : ApiCommand<RolloutStatusSettings>
{
    public RolloutStatusCommand(CliEnvironment cli)
        : base(cli)
    {
    }

    protected override async Task<int> ExecuteAsync(BerthApiClient client, RolloutStatusSettings settings, CancellationToken cancellationToken)
    {
        var rollout = await client.GetRolloutAsync(settings.Service, cancellationToken).ConfigureAwait(false);
        if (settings.Watch)
        {
            return await RolloutFollow.RunAsync(Cli, client, rollout, settings.Timeout, settings.TimeoutSpan, settings.Json, cancellationToken).ConfigureAwait(false);
        }

        if (settings.Json)
        {
            ConsoleText.WriteJson(Cli.Out, rollout);
        }
        else
        {
            ConsoleText.WriteView(Cli.Out, StrategyStatusView.Render(Grid(rollout), rollout));
        }

        return ExitCodeOf(rollout.State);
    }

    /// <summary>
    /// Without --watch: 0 when completed or still working (nothing has gone wrong yet), 1 otherwise. A state this client
    /// does not know counts as a failure, so CI never passes on something it cannot read.
    /// </summary>
    public static int ExitCodeOf(string state) =>
        state == RolloutStates.Completed || RolloutStates.IsWorking(state) ? ExitCodes.Ok : ExitCodes.Failed;

    /// <summary>The status grid: rollout, state, replicas, policy (rolling) or strategy rows (blue/green, canary).</summary>
    public static Grid Grid(RolloutInfo rollout)
    {
        var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        void Row(string name, string value) => grid.AddRow(new Text(name, new Style(decoration: Decoration.Bold)), new Text(value));
        Row("Service", rollout.Service);
        Row("Rollout", $"{rollout.Kind} #{rollout.Id}: release {RolloutText.FromTo(rollout)}");
        Row("State", rollout.State);
        Row("Replicas", $"{rollout.Updated}/{rollout.Total} updated, {rollout.Failed} failed");
        if (rollout.Progress is null && rollout.Strategy == StrategySpec.RollingKind)
        {
            Row("Policy", RolloutText.Policy(rollout));
        }
        else
        {
            StrategyStatusView.AddRows(grid, rollout);
        }

        Row("Reason", string.IsNullOrEmpty(rollout.Reason) ? "-" : rollout.Reason);
        Row("Started", EventTime.Format(rollout.StartedAt));
        Row("Updated", EventTime.Format(rollout.UpdatedAt));
        return grid;
    }
}
