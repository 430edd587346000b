namespace Berth.Store;

/// <summary>One entry of the event log; <see cref="Seq"/> is assigned by the store.</summary>
public sealed record EventRecord(
    long Seq,
    DateTimeOffset Time,
    string Kind,
    string? Stack,
    string? Service,
    string? Replica,
    string Message);
