using System.Globalization;
using Berth.Api;
using Berth.Cli.Api;
using Berth.Cli.Output;
using Berth.Store;

namespace Berth.Cli.Commands.Rollouts;

/// <summary>`berth rollback SERVICE [--to N]`: starts a rollback, then (unless --detach) watches it like `rollout status --watch`.</summary>
public sealed class RollbackCommand : ApiCommand<RollbackSettings>
{
    public RollbackCommand(CliEnvironment cli)
        : base(cli)
    {
    }

    protected override async Task<int> ExecuteAsync(BerthApiClient client, RollbackSettings settings, CancellationToken cancellationToken)
    {
        if (settings.Environment is { } environment)
        {
            return await RollbackEnvironmentAsync(client, settings, environment, cancellationToken).ConfigureAwait(false);
        }

        var rollout = await client.RollbackAsync(settings.Service, new RollbackRequest(settings.ToRelease), cancellationToken).ConfigureAwait(false);
        var people = settings.Json ? Cli.Error : Cli.Out;
        if (rollout is { State: RolloutStates.Aborted, Kind: "update", Progress.Phase: RolloutPhases.Promoted })
        {
            // After a blue/green or canary switch, with the old release still up: traffic went back to it at once.
            ConsoleText.WriteLine(people, string.Create(CultureInfo.InvariantCulture, $"Rolled {rollout.Service} back to release {rollout.FromRelease}: it still ran since the switch to release {rollout.ToRelease}, so it serves again at once; release {rollout.ToRelease}'s replicas are being removed"));
            if (settings.Json)
            {
                ConsoleText.WriteJson(Cli.Out, rollout);
            }

            return ExitCodes.Ok;
        }

        if (rollout is { State: RolloutStates.Aborted, Kind: "update" })
        {
            // A blue/green or canary rollout stopped before its switch: the running release never changed.
            ConsoleText.WriteLine(people, string.Create(CultureInfo.InvariantCulture, $"Aborted the {rollout.Strategy} rollout of {rollout.Service} to release {rollout.ToRelease}: release {rollout.FromRelease} keeps serving"));
            if (settings.Json)
            {
                ConsoleText.WriteJson(Cli.Out, rollout);
            }

            return ExitCodes.Ok;
        }

        ConsoleText.WriteLine(people, Describe(rollout));
        if (settings.Detach)
        {
            if (settings.Json)
            {
                ConsoleText.WriteJson(Cli.Out, rollout);
            }

            return ExitCodes.Ok;
        }

        return await RolloutFollow.RunAsync(Cli, client, rollout, settings.Timeout, settings.TimeoutSpan, settings.Json, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>`rollback STACK --env E`: the environment runs an earlier stack release again (the pipeline deploys it; `env ls` follows it).</summary>
    private async Task<int> RollbackEnvironmentAsync(BerthApiClient client, RollbackSettings settings, string environment, CancellationToken cancellationToken)
    {
        var queued = await client.RollbackEnvironmentAsync(settings.Service, environment, new EnvironmentRollbackRequest(settings.ToRelease), cancellationToken).ConfigureAwait(false);
        if (settings.Json)
        {
            ConsoleText.WriteJson(Cli.Out, queued);
            return ExitCodes.Ok;
        }

        ConsoleText.WriteLine(Cli.Out, string.Create(CultureInfo.InvariantCulture,
            $"Rolling {environment} of {settings.Service} back to stack release {queued.Release} ({queued.Reason}); follow it with `berth env ls {settings.Service}`."));
        return ExitCodes.Ok;
    }

    /// <summary>"Rolling back articles_app from release 3 to release 1" ("from" left out when the server does not say).</summary>
    public static string Describe(RolloutInfo rollout)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        var from = rollout.FromRelease is { } number ? string.Create(CultureInfo.InvariantCulture, $" from release {number}") : string.Empty;
        return string.Create(CultureInfo.InvariantCulture, $"Rolling back {rollout.Service}{from} to release {rollout.ToRelease}");
    }
}
