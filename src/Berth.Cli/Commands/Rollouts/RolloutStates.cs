namespace Berth.Cli.Commands.Rollouts;

/// <summary>What a <see cref="Berth.Api.RolloutInfo.State"/> means to the CLI: still working, finished well, or a failure for CI.</summary>
public static class RolloutStates
{
    public const string Updating = "updating";
    public const string RollingBack = "rolling_back";
    public const string Paused = "paused";
    public const string Completed = "completed";
    public const string RolledBack = "rolled_back";
    public const string Superseded = "superseded";
    public const string Aborted = "aborted";

    /// <summary>The engine is still moving replicas: a watch keeps waiting. Paused is not: it waits for a human.</summary>
    public static bool IsWorking(string state) => state is Updating or RollingBack;

    /// <summary>The rollout stopped short of its target: paused, rolled back, aborted or replaced by a newer one.</summary>
    public static bool IsFailure(string state) => state is Paused or RolledBack or Superseded or Aborted;

    /// <summary>
    /// `rollout status` without --watch: 0 when completed or still working (nothing has gone wrong yet), 1 otherwise.
    /// A state this client does not know counts as a failure, so CI never passes on something it cannot read.
    /// </summary>
    public static int ExitCodeOf(string state) =>
        state == Completed || IsWorking(state) ? ExitCodes.Ok : ExitCodes.Failed;
}
