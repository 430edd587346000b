using Microsoft.Data.Sqlite;

namespace Berth.Store;

public sealed partial class StoreTransaction
{
    private const string ReplicaColumns =
        "id, service, slot, release, desired_state, state, health, endpoint, port, pid, start_ticks, log_path, created_at, exited_at, exit_code, message";

    private static ReplicaRecord ReadReplica(SqliteDataReader r) => new()
    {
        Id = r.GetString(0),
        Service = r.GetString(1),
        Slot = r.GetInt32(2),
        Release = r.GetInt32(3),
        DesiredState = r.GetString(4),
        State = r.GetString(5),
        Health = r.GetString(6),
        Endpoint = ReadOptionalString(r, 7),
        Port = ReadOptionalInt(r, 8),
        Pid = ReadOptionalInt(r, 9),
        ProcessStartTicks = ReadOptionalLong(r, 10),
        LogPath = ReadOptionalString(r, 11),
        CreatedAt = ReadTime(r, 12),
        ExitedAt = ReadOptionalTime(r, 13),
        ExitCode = ReadOptionalInt(r, 14),
        Message = ReadOptionalString(r, 15),
    };

    /// <summary>Replicas of one service (or all), oldest first.</summary>
    /// <remarks>Two statements, not one with <c>$service IS NULL OR …</c>: SQLite cannot use the index for that.</remarks>
    public async Task<IReadOnlyList<ReplicaRecord>> GetReplicasAsync(string? service, CancellationToken cancellationToken) =>
        service is null
            ? await QueryAsync($"SELECT {ReplicaColumns} FROM replicas ORDER BY service, slot, created_at", ReadReplica, cancellationToken)
            : await QueryAsync(
                $"SELECT {ReplicaColumns} FROM replicas WHERE service = $service ORDER BY slot, created_at",
                ReadReplica,
                cancellationToken,
                ("$service", service));

    public async Task<ReplicaRecord?> GetReplicaAsync(string id, CancellationToken cancellationToken) =>
        (await QueryAsync($"SELECT {ReplicaColumns} FROM replicas WHERE id = $id", ReadReplica, cancellationToken, ("$id", id)))
        .FirstOrDefault();

    /// <summary>Inserts or replaces a replica row (the whole record: snapshots are replaced, not patched).</summary>
    public Task SaveReplicaAsync(ReplicaRecord replica, CancellationToken cancellationToken)
    {
        Touch(replica.Service);
        return ExecuteAsync(
            $"""
            INSERT OR REPLACE INTO replicas({ReplicaColumns})
            VALUES ($id, $service, $slot, $release, $desired, $state, $health, $endpoint, $port, $pid, $ticks, $log, $created, $exited, $code, $message)
            """,
            cancellationToken,
            ("$id", replica.Id),
            ("$service", replica.Service),
            ("$slot", replica.Slot),
            ("$release", replica.Release),
            ("$desired", replica.DesiredState),
            ("$state", replica.State),
            ("$health", replica.Health),
            ("$endpoint", replica.Endpoint),
            ("$port", replica.Port),
            ("$pid", replica.Pid),
            ("$ticks", replica.ProcessStartTicks),
            ("$log", replica.LogPath),
            ("$created", Time(replica.CreatedAt)),
            ("$exited", Time(replica.ExitedAt)),
            ("$code", replica.ExitCode),
            ("$message", replica.Message));
    }

    public Task DeleteReplicaAsync(ReplicaRecord replica, CancellationToken cancellationToken)
    {
        Touch(replica.Service);
        return ExecuteAsync("DELETE FROM replicas WHERE id = $id", cancellationToken, ("$id", replica.Id));
    }

    /// <summary>Records that a slot's replica was restarted by the restart policy.</summary>
    public Task AddRestartAsync(string service, int slot, DateTimeOffset at, CancellationToken cancellationToken) =>
        ExecuteAsync(
            "INSERT INTO restarts(service, slot, at) VALUES ($service, $slot, $at)",
            cancellationToken,
            ("$service", service),
            ("$slot", slot),
            ("$at", Time(at)));

    /// <summary>Restart times of one slot, oldest first.</summary>
    public async Task<IReadOnlyList<DateTimeOffset>> GetRestartsAsync(string service, int slot, CancellationToken cancellationToken) =>
        await QueryAsync(
            "SELECT at FROM restarts WHERE service = $service AND slot = $slot ORDER BY at",
            r => ReadTime(r, 0),
            cancellationToken,
            ("$service", service),
            ("$slot", slot));

    /// <summary>Restart counts per service and slot: of one service, or of every service (one statement either way).</summary>
    public async Task<IReadOnlyDictionary<(string Service, int Slot), int>> CountRestartsAsync(string? service, CancellationToken cancellationToken) =>
        (service is null
            ? await QueryAsync(
                "SELECT service, slot, COUNT(*) FROM restarts GROUP BY service, slot",
                r => (Service: r.GetString(0), Slot: r.GetInt32(1), Count: r.GetInt32(2)),
                cancellationToken)
            : await QueryAsync(
                "SELECT service, slot, COUNT(*) FROM restarts WHERE service = $service GROUP BY service, slot",
                r => (Service: r.GetString(0), Slot: r.GetInt32(1), Count: r.GetInt32(2)),
                cancellationToken,
                ("$service", service)))
        .ToDictionary(x => (x.Service, x.Slot), x => x.Count);

    /// <summary>Forgets restart history (a new release starts its slots afresh, as Swarm's new tasks do).</summary>
    public Task ClearRestartsAsync(string service, CancellationToken cancellationToken) =>
        ExecuteAsync("DELETE FROM restarts WHERE service = $service", cancellationToken, ("$service", service));
}
