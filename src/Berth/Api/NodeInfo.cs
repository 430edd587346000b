namespace Berth.Api;

/// <summary>A node as `node ls` shows it.</summary>
public sealed record NodeInfo(string Id, string Hostname, string Role, string Availability, string State, int Replicas, string? Address = null);
