namespace Berth.Runtimes;

/// <summary>A node replicas run on, as the runtime reports it (docker node ls).</summary>
public sealed record NodeObservation(
    string Id,
    string Hostname,
    string Role,
    string Availability,
    string State,
    string? Address);
