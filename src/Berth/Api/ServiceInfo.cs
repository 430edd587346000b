namespace Berth.Api;

/// <summary>A service as `service ls` / `service inspect` show it.</summary>
public sealed record ServiceInfo
{
    public required string Name { get; init; }
    public required string Stack { get; init; }

    /// <summary>replicated or global.</summary>
    public required string Mode { get; init; }
    public required int DesiredReplicas { get; init; }
    public required int RunningReplicas { get; init; }
    public required int HealthyReplicas { get; init; }

    /// <summary>Number of the release replicas should run.</summary>
    public required int Release { get; init; }

    /// <summary>Image, or the process command, of the current release.</summary>
    public required string Artifact { get; init; }
    public IReadOnlyList<string> Ports { get; init => field = value ?? []; } = [];

    /// <summary>running, converging, failed (with <see cref="StatusReason"/>), ...</summary>
    public required string Status { get; init; }
    public string? StatusReason { get; init; }

    /// <summary>What the router serves for it (only from `service inspect`; null when it publishes nothing or is not routed yet).</summary>
    public RouteInfo? Route { get; init; }
}
