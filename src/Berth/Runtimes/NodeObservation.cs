namespace Berth.Runtimes;

/// <summary>A node replicas run on, as the runtime reports it (docker node ls).</summary>
public sealed record NodeObservation(
    string Id,
    string Hostname,
    string Role,
    string Availability,
    string State,
    string? Address)
{
    /// <summary>Replicas the runtime runs on this node now, when it knows (Swarm: running Berth tasks); null = unknown.</summary>
    public int? Replicas { get; init; }

    /// <summary>True for the node the Berth server itself runs on (its tasks are reached on 127.0.0.1).</summary>
    public bool IsLocal { get; init; }

    /// <summary>The deploy target the node belongs to: null for the server's own runtime (<c>local</c>).</summary>
    public string? Target { get; init; }
}

/// <summary>Values of a node's availability, as Docker Swarm names them.</summary>
public static class NodeAvailabilities
{
    public const string Active = "active";
    public const string Pause = "pause";
    public const string Drain = "drain";

    public static readonly IReadOnlyList<string> All = [Active, Pause, Drain];
}
