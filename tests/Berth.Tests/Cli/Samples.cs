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

    public static RolloutInfo Rollout(
        string service = "articles_app", string state = "updating", int updated = 1, int total = 3, int failed = 0, string? reason = null,
        long id = 7, string kind = "update", int? from = 1, int to = 2) => new()
    {
        Id = id,
        Service = service,
        Kind = kind,
        FromRelease = from,
        ToRelease = to,
        State = state,
        Reason = reason,
        Total = total,
        Updated = updated,
        Failed = failed,
        Parallelism = 1,
        Order = "stop-first",
        FailureAction = "rollback",
        MonitorSeconds = 5,
        StartedAt = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero),
        UpdatedAt = new DateTimeOffset(2026, 1, 2, 3, 5, 0, TimeSpan.Zero),
    };

    public static ReleaseInfo Release(int number, string state, string summary = "", string artifact = "articles/app:1") => new()
    {
        Number = number,
        CreatedAt = new DateTimeOffset(2026, 1, number, 3, 4, 5, TimeSpan.Zero),
        Summary = summary,
        Artifact = artifact,
        State = state,
    };
}
