namespace Berth.Api;

/// <summary>Body of POST /api/v1/services/scale: target replica counts by service name (all or nothing).</summary>
public sealed record ScaleRequest(IReadOnlyDictionary<string, int> Replicas);
