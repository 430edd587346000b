using Berth.Spec;

namespace Berth.Store;

/// <summary>
/// A rolling update (or rollback) of one service from one release to another, persisted so a server restart
/// resumes it where it was. Replicas say which slots are done; this record holds what they cannot: the decision.
/// </summary>
public sealed record RolloutRecord
{
    public required long Id { get; init; }
    public required string Service { get; init; }

    /// <summary>update (a deploy) or rollback.</summary>
    public required string Kind { get; init; }

    /// <summary>rolling, blue-green or canary (see <see cref="StrategySpec"/>).</summary>
    public string Strategy { get; init; } = StrategySpec.RollingKind;

    /// <summary>Blue/green and canary only: step, weight, phase and analysis counts.</summary>
    public RolloutProgress? Progress { get; init; }
    public int? FromRelease { get; init; }
    public required int ToRelease { get; init; }

    /// <summary>See <see cref="RolloutStates"/>.</summary>
    public required string State { get; init; }
    public string? Reason { get; init; }

    /// <summary>The update_config (or rollback_config) this rollout follows.</summary>
    public required UpdateConfigSpec Config { get; init; }

    /// <summary>Replica ids of the new release that failed (exited, or not ready within monitor).</summary>
    public IReadOnlyList<string> FailedReplicas { get; init; } = [];

    /// <summary>When the last batch finished; the next one starts after update_config.delay.</summary>
    public DateTimeOffset? LastBatchDoneAt { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }

    public bool IsActive => RolloutStates.IsActive(State);
}
