namespace Berth.Routing;

/// <summary>What the router must do for one service: its front doors, its pools of replicas and how traffic is split.</summary>
public sealed record ServiceRoute
{
    public required string Service { get; init; }

    /// <summary>Published ports: one front door (listener) each.</summary>
    public IReadOnlyList<FrontDoorAddress> FrontDoors { get; init; } = [];

    /// <summary>The live release's replicas (stable / blue).</summary>
    public required RoutePool Stable { get; init; }

    /// <summary>The other release during a canary or blue/green rollout, if any.</summary>
    public RoutePool? Candidate { get; init; }

    /// <summary>Share of users (0–100) sent to <see cref="Candidate"/>.</summary>
    public int CandidateWeight { get; init; }

    public RouteSettings Settings { get; init; } = new();

    /// <summary>Optional front door that always reaches the candidate (blue/green preview).</summary>
    public FrontDoorAddress? Preview { get; init; }

    /// <summary>Same doors, pools, destinations, split and settings (records compare their lists by reference; this compares them by content).</summary>
    public bool SameAs(ServiceRoute other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Service == other.Service
            && FrontDoors.SequenceEqual(other.FrontDoors)
            && Stable.SameAs(other.Stable)
            && (Candidate is null ? other.Candidate is null : other.Candidate is not null && Candidate.SameAs(other.Candidate))
            && CandidateWeight == other.CandidateWeight
            && Settings.RetryMethods.SequenceEqual(other.Settings.RetryMethods)
            && Settings with { RetryMethods = other.Settings.RetryMethods } == other.Settings
            && Preview == other.Preview;
    }
}

/// <summary>An address:port a front door listens on, and what it speaks there (<see cref="FrontDoorProtocols"/>).</summary>
public sealed record FrontDoorAddress(string Host, int Port, string Protocol = FrontDoorProtocols.Http)
{
    /// <summary>"127.0.0.1:8080" for HTTP, "127.0.0.1:5432/tcp" for a TCP door.</summary>
    public override string ToString() => Protocol == FrontDoorProtocols.Http ? $"{Host}:{Port}" : $"{Host}:{Port}/{Protocol}";
}

/// <summary>Replicas of one release that receive traffic (only ready ones are listed).</summary>
public sealed record RoutePool(string Name, int Release, IReadOnlyList<RouteDestination> Destinations)
{
    /// <summary>Same name, release and destinations in the same order.</summary>
    public bool SameAs(RoutePool other) =>
        other is not null && Name == other.Name && Release == other.Release && Destinations.SequenceEqual(other.Destinations);
}

/// <summary>One replica behind the router.</summary>
public sealed record RouteDestination(string ReplicaId, int Release, string Address);
