namespace Berth.Engine.Gates;

/// <summary>
/// Runs blue/green smoke commands in the background, one per rollout, so a reconcile pass never waits for one:
/// a pass starts it, later passes read its status, and the pass that records the result forgets it.
/// </summary>
public interface ISmokeTestRunner
{
    /// <summary>Starts the command for the rollout, unless one already runs or has finished for it.</summary>
    void Start(long rolloutId, SmokeCommand command);

    /// <summary>Null when none was started for the rollout (or it was forgotten, or the server restarted since).</summary>
    SmokeStatus? StatusOf(long rolloutId);

    /// <summary>Drops a finished command's result once it is recorded.</summary>
    void Forget(long rolloutId);
}

/// <summary>A smoke command to run: <c>/bin/sh -c Command</c> in WorkingDirectory with Environment, killed after Timeout.</summary>
public sealed record SmokeCommand(string Command, string WorkingDirectory, IReadOnlyDictionary<string, string> Environment, TimeSpan Timeout);

/// <summary>A started smoke command: still running (no result yet) or finished.</summary>
public sealed record SmokeStatus(SmokeResult? Result)
{
    public static readonly SmokeStatus Running = new((SmokeResult?)null);

    public bool IsRunning => Result is null;
}
