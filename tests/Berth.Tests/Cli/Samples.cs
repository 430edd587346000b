using Berth.Api;

namespace Berth.Tests.Cli;

/// <summary>Canned DTOs the fake server answers with.</summary>
internal static class Samples
{
    public static ServiceInfo Service(string name, int desired = 3, int healthy = 2, int release = 2, string status = "running", string? reason = null) => new()
    {
        Name = name,
        Stack = "articles",
        Mode = "replicated",
        DesiredReplicas = desired,
        RunningReplicas = healthy,
        HealthyReplicas = healthy,
        Release = release,
        Artifact = "articles/app:2",
        Ports = ["8080:80"],
        Status = status,
        StatusReason = reason,
    };

    public static ReplicaInfo Replica(string service, int slot, int release = 2, string health = "healthy", string desiredState = "running") => new()
    {
        Id = $"{service}.{slot}.abcd",
        Service = service,
        Stack = "articles",
        Slot = slot,
        Release = release,
        DesiredState = desiredState,
        State = "running",
        Health = health,
        Endpoint = $"127.0.0.1:{41000 + slot}",
        Pid = 4000 + slot,
        CreatedAt = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero),
        Restarts = 0,
        Message = "ok",
    };
}
