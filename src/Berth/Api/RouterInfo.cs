namespace Berth.Api;

/// <summary>
/// A router as `berth router ls` shows it: <see cref="State"/> is live (heard from lately), stale (not heard from:
/// left out of acknowledgement counts) or stopped; <see cref="RouteVersion"/> the last route version it applied,
/// <see cref="Behind"/> whether the control plane has a newer one; <see cref="Outdated"/> whether it runs another
/// version of Berth than the control plane (after an upgrade).
/// </summary>
public sealed record RouterInfo(
    string Id,
    int? Pid,
    string Node,
    string? Version,
    long RouteVersion,
    string State,
    bool Behind,
    bool Outdated,
    DateTimeOffset? LastHeard,
    int Services,
    IReadOnlyDictionary<string, string> Errors);
