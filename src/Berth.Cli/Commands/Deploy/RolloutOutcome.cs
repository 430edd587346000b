namespace Berth.Cli.Commands.Deploy;

/// <summary>How waiting for a rollout ended.</summary>
public enum RolloutResult
{
    Healthy,
    Failed,
    TimedOut,
}

/// <summary>The end of a wait, with the last progress of every service (what is missing, or why it failed).</summary>
public sealed record RolloutOutcome(RolloutResult Result, IReadOnlyList<ServiceProgress> Services);
