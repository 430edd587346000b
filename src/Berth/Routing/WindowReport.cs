namespace Berth.Routing;

/// <summary>A router's recent seconds of one rolling window: a release's (<see cref="Replica"/> null) or a replica's.</summary>
public sealed record WindowReport(string Service, int Release, string? Replica, IReadOnlyList<WindowSlotData> Slots);
