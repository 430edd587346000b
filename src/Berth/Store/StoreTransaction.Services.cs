using Microsoft.Data.Sqlite;

namespace Berth.Store;

public sealed partial class StoreTransaction
{
    private const string ServiceColumns =
        "name, stack, mode, desired_replicas, release, removing, status, status_reason, created_at, updated_at";

    private static ServiceRecord ReadService(SqliteDataReader r) => new()
    {
        Name = r.GetString(0),
        Stack = r.GetString(1),
        Mode = r.GetString(2),
        DesiredReplicas = r.GetInt32(3),
        Release = r.GetInt32(4),
        Removing = r.GetInt32(5) != 0,
        Status = r.GetString(6),
        StatusReason = ReadOptionalString(r, 7),
        CreatedAt = ReadTime(r, 8),
        UpdatedAt = ReadTime(r, 9),
    };

    public async Task<IReadOnlyList<ServiceRecord>> GetServicesAsync(string? stack, CancellationToken cancellationToken) =>
        await QueryAsync(
            $"SELECT {ServiceColumns} FROM services WHERE $stack IS NULL OR stack = $stack ORDER BY name",
            ReadService,
            cancellationToken,
            ("$stack", stack));

    public async Task<ServiceRecord?> GetServiceAsync(string name, CancellationToken cancellationToken) =>
        (await QueryAsync($"SELECT {ServiceColumns} FROM services WHERE name = $name", ReadService, cancellationToken, ("$name", name)))
        .FirstOrDefault();

    public Task UpsertServiceAsync(ServiceRecord service, CancellationToken cancellationToken)
    {
        Touch(service.Name);
        return ExecuteAsync(
            $"""
            INSERT INTO services({ServiceColumns})
            VALUES ($name, $stack, $mode, $replicas, $release, $removing, $status, $reason, $created, $updated)
            ON CONFLICT(name) DO UPDATE SET stack = $stack, mode = $mode, desired_replicas = $replicas,
                release = $release, removing = $removing, status = $status, status_reason = $reason, updated_at = $updated
            """,
            cancellationToken,
            ("$name", service.Name),
            ("$stack", service.Stack),
            ("$mode", service.Mode),
            ("$replicas", service.DesiredReplicas),
            ("$release", service.Release),
            ("$removing", service.Removing ? 1 : 0),
            ("$status", service.Status),
            ("$reason", service.StatusReason),
            ("$created", Time(service.CreatedAt)),
            ("$updated", Time(service.UpdatedAt)));
    }

    /// <summary>Deletes a service with its releases, replicas and restart history, and the secret contents only its releases used.</summary>
    public async Task DeleteServiceAsync(string name, CancellationToken cancellationToken)
    {
        Touch(name);
        foreach (var table in new[] { "replicas", "releases", "restarts", "rollouts" })
        {
            await ExecuteAsync($"DELETE FROM {table} WHERE service = $name", cancellationToken, ("$name", name));
        }

        await ExecuteAsync("DELETE FROM services WHERE name = $name", cancellationToken, ("$name", name));
        await DeleteUnusedSecretContentsAsync(cancellationToken);
    }
}
