namespace Berth.Store;

/// <summary>A service's desired state as stored: which release, how many replicas, and whether it is being removed.</summary>
public sealed record ServiceRecord
{
    public required string Name { get; init; }
    public required string Stack { get; init; }
    public required string Mode { get; init; }
    public required int DesiredReplicas { get; init; }

    /// <summary>Release number replicas should run.</summary>
    public required int Release { get; init; }
    public bool Removing { get; init; }

    /// <summary>See <see cref="ServiceStatuses"/>; written by the reconciler after each pass.</summary>
    public string Status { get; init; } = ServiceStatuses.Converging;

    /// <summary>Why the service is not simply running (e.g. "slot 2 gave up: max_attempts (3) reached"), or null.</summary>
    public string? StatusReason { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>Service statuses shown by `service ls`.</summary>
public static class ServiceStatuses
{
    /// <summary>Replicas are being started, replaced or health-checked.</summary>
    public const string Converging = "converging";

    /// <summary>Every desired replica runs the current release and is healthy.</summary>
    public const string Running = "running";

    /// <summary>Some slot is down on purpose (restart_policy condition none / on-failure after exit 0).</summary>
    public const string Degraded = "degraded";

    /// <summary>Some slot gave up (max_attempts reached); see the reason.</summary>
    public const string Failed = "failed";

    /// <summary>Its rollout is paused (failure_action pause, or `rollout pause`); see the reason.</summary>
    public const string Paused = "paused";

    /// <summary>`rm` was asked; replicas are being stopped.</summary>
    public const string Removing = "removing";
}
