namespace Berth.Store;

/// <summary>The kinds of a rollout's timeline entries (<see cref="RolloutDecisionRecord.Kind"/>), as the report and the CLI read them.</summary>
public static class RolloutDecisionKinds
{
    public const string Weight = "weight";
    public const string Replicas = "replicas";
    public const string Match = "match";
    public const string StepDone = "step.done";
    public const string ScalingUp = "scaling_up";
    public const string GreenReady = "green.ready";
    public const string GateSmoke = "gate.smoke";

    /// <summary>A gate or analysis ended by `berth promote` before it finished.</summary>
    public const string GateSkipped = "gate.skipped";
    public const string Switch = "switch";
    public const string Promoted = "promoted";
    public const string Completed = "completed";
    public const string Aborted = "aborted";
    public const string Paused = "paused";
    public const string Resumed = "resumed";
    public const string PromoteRequested = "promote.requested";

    /// <summary>Replaced by a rollback (`berth rollback`) while it was active.</summary>
    public const string Superseded = "superseded";

    /// <summary>`berth rollout retry`: the first entry of a rollout that restarts an aborted one.</summary>
    public const string Retried = "retried";

    /// <summary>analysis.passed, analysis.failed or analysis.inconclusive: one measurement.</summary>
    public static string Analysis(string outcome) => "analysis." + outcome;

    /// <summary>Kinds whose event is written with its own wording rather than as "rollout.KIND".</summary>
    public static bool HasOwnEvent(string kind) => kind is Paused or Aborted or Promoted or Completed;
}
