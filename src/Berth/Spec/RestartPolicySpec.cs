namespace Berth.Spec;

/// <summary><c>deploy.restart_policy</c> with Docker Swarm's semantics and defaults.</summary>
public sealed record RestartPolicySpec
{
    /// <summary>none, on-failure or any (default any, as Swarm).</summary>
    public string Condition { get; init; } = RestartConditions.Any;

    /// <summary>Wait between a replica's exit and its replacement (default 5s, as Swarm).</summary>
    public TimeSpan Delay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Restarts allowed per replica slot within <see cref="Window"/>; null = unlimited.</summary>
    public int? MaxAttempts { get; init; }

    /// <summary>Sliding window in which restarts are counted; null = since the slot began.</summary>
    public TimeSpan? Window { get; init; }
}

/// <summary>Values allowed for <c>restart_policy.condition</c>.</summary>
public static class RestartConditions
{
    public const string None = "none";
    public const string OnFailure = "on-failure";
    public const string Any = "any";
}
