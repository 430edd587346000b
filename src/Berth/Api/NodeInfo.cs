namespace Berth.Api;

/// <summary>A node as `node ls` shows it; <paramref name="Target"/> names the deploy target it belongs to (null: the server's own runtime).</summary>
public sealed record NodeInfo(string Id, string Hostname, string Role, string Availability, string State, int Replicas, string? Address = null, string? Target = null);
