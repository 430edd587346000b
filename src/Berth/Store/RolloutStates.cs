namespace Berth.Store;

/// <summary>
/// The states of a rollout: the one set of names the engine writes, the API sends (<c>RolloutInfo.State</c>) and the
/// CLI reads, with what each means.
/// </summary>
public static class RolloutStates
{
    public const string Updating = "updating";
    public const string Paused = "paused";
    public const string RollingBack = "rolling_back";
    public const string Completed = "completed";
    public const string RolledBack = "rolled_back";

    /// <summary>A blue/green or canary rollout stopped by analysis, a gate, the progress deadline or `berth abort`: the new release got weight 0 and was removed.</summary>
    public const string Aborted = "aborted";

    /// <summary>Replaced by a newer deploy before it finished.</summary>
    public const string Superseded = "superseded";

    /// <summary>Still has work, or waits for a human (paused).</summary>
    public static bool IsActive(string state) => state is Updating or RollingBack or Paused;

    /// <summary>The engine is still moving replicas: a watch keeps waiting. Paused is not: it waits for a human.</summary>
    public static bool IsWorking(string state) => state is Updating or RollingBack;

    /// <summary>The rollout stopped short of its target: paused, rolled back, aborted or replaced by a newer one.</summary>
    public static bool IsFailure(string state) => state is Paused or RolledBack or Superseded or Aborted;
}
