namespace Berth.Api;

/// <summary>One entry of the event log (`berth events`).</summary>
public sealed record EventInfo
{
    /// <summary>Increasing sequence number; pass the last one seen as ?since= to resume.</summary>
    public required long Seq { get; init; }
    public required DateTimeOffset Time { get; init; }

    /// <summary>Dotted kind, e.g. stack.deployed, release.created, replica.started, replica.exited, replica.healthy, service.scaled.</summary>
    public required string Kind { get; init; }
    public string? Stack { get; init; }
    public string? Service { get; init; }
    public string? Replica { get; init; }
    public required string Message { get; init; }
}
