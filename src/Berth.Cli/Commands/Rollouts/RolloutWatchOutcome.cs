using Berth.Api;

namespace Berth.Cli.Commands.Rollouts;

/// <summary>How watching one rollout ended.</summary>
public enum RolloutWatchEnd
{
    /// <summary>The rollout left updating / rolling_back; its state says how it went.</summary>
    Settled,

    /// <summary>The service's latest rollout is another one now: ours was replaced.</summary>
    Superseded,

    TimedOut,
}

/// <summary>The end of a watch, with the last rollout the server reported (the newer one when superseded).</summary>
public sealed record RolloutWatchOutcome(RolloutWatchEnd End, RolloutInfo Last);
