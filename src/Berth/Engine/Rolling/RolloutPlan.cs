namespace Berth.Engine.Rolling;

/// <summary>What a rollout should do now, decided from records alone (carried out by the reconciler).</summary>
public sealed record RolloutPlan
{
    /// <summary>New replicas that failed this pass (exited, or not ready once monitor elapsed), with why.</summary>
    public IReadOnlyList<(string ReplicaId, string Why)> NewFailures { get; init; } = [];

    /// <summary>Old replicas to drain and stop now (start-first: their replacement is ready).</summary>
    public IReadOnlyList<string> StopOld { get; init; } = [];

    /// <summary>Slots to update now (a new batch).</summary>
    public IReadOnlyList<int> StartBatch { get; init; } = [];

    /// <summary>Set when the running batch has just finished (the delay before the next one counts from here).</summary>
    public bool BatchFinished { get; init; }

    /// <summary>What happens to the rollout as a whole.</summary>
    public RolloutVerdict Verdict { get; init; } = RolloutVerdict.Continue;
    public string? Reason { get; init; }

    /// <summary>When to look again if nothing else happens.</summary>
    public DateTimeOffset? WakeAt { get; init; }
}

/// <summary>The rollout-level outcome of a plan.</summary>
public enum RolloutVerdict
{
    Continue,
    Completed,
    Pause,
    Rollback,
}
