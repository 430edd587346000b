namespace Berth.Api;

/// <summary>What the router serves for a service right now: front doors, the split, and each pool's replicas and KPIs.</summary>
public sealed record RouteInfo
{
    public required IReadOnlyList<string> FrontDoors { get; init; }
    public string? Preview { get; init; }
    public required RoutePoolInfo Stable { get; init; }
    public RoutePoolInfo? Candidate { get; init; }

    /// <summary>Share of users (0–100) sent to the candidate.</summary>
    public int CandidateWeight { get; init; }
    public required string Balancing { get; init; }
}

/// <summary>One pool of the router: its release, replicas and traffic over the last minute.</summary>
public sealed record RoutePoolInfo(string Name, int Release, IReadOnlyList<RouteReplicaInfo> Replicas, KpiInfo Kpis);

/// <summary>One replica behind the router, with its own traffic over the last minute.</summary>
public sealed record RouteReplicaInfo(string Id, string Address, int Release, KpiInfo Kpis);

/// <summary>Traffic figures over a window.</summary>
public sealed record KpiInfo(double WindowSeconds, long Requests, double ErrorRate, double P50Ms, double P95Ms, double P99Ms);
