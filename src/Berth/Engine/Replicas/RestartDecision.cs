namespace Berth.Engine.Replicas;

/// <summary>What the restart policy says about a slot whose replica exited.</summary>
public sealed record RestartDecision(RestartAction Action, DateTimeOffset At, string Reason)
{
    public static RestartDecision RestartAt(DateTimeOffset at, string reason) => new(RestartAction.Restart, at, reason);
    public static RestartDecision Stay(string reason) => new(RestartAction.StayDown, default, reason);
    public static RestartDecision GiveUp(string reason) => new(RestartAction.GiveUp, default, reason);
}

/// <summary>Outcome kinds of <see cref="RestartDecision"/>.</summary>
public enum RestartAction
{
    /// <summary>Start a replacement at <see cref="RestartDecision.At"/>.</summary>
    Restart,

    /// <summary>Not restarted by design (condition none, or on-failure after a clean exit).</summary>
    StayDown,

    /// <summary>max_attempts reached within the window: the slot has failed.</summary>
    GiveUp,
}
