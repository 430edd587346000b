using Berth.Spec;
using Microsoft.Data.Sqlite;

namespace Berth.Store;

public sealed partial class StoreTransaction
{
    private const string RolloutColumns =
        "id, service, kind, from_release, to_release, state, reason, config_json, failed_json, last_batch_done_at, started_at, updated_at, strategy, progress_json";

    private static RolloutRecord ReadRollout(SqliteDataReader r) => new()
    {
        Id = r.GetInt64(0),
        Service = r.GetString(1),
        Kind = r.GetString(2),
        FromRelease = ReadOptionalInt(r, 3),
        ToRelease = r.GetInt32(4),
        State = r.GetString(5),
        Reason = ReadOptionalString(r, 6),
        Config = BerthStore.Deserialize<UpdateConfigSpec>(r.GetString(7)),
        FailedReplicas = BerthStore.Deserialize<List<string>>(r.GetString(8)),
        LastBatchDoneAt = ReadOptionalTime(r, 9),
        StartedAt = ReadTime(r, 10),
        UpdatedAt = ReadTime(r, 11),
        Strategy = r.GetString(12),
        Progress = ReadOptionalString(r, 13) is { } progress ? BerthStore.Deserialize<RolloutProgress>(progress) : null,
    };

    /// <summary>The newest rollout of a service, or null.</summary>
    public async Task<RolloutRecord?> GetLatestRolloutAsync(string service, CancellationToken cancellationToken) =>
        (await QueryAsync($"SELECT {RolloutColumns} FROM rollouts WHERE service = $service ORDER BY id DESC LIMIT 1", ReadRollout, cancellationToken, ("$service", service)))
        .FirstOrDefault();

    public async Task<IReadOnlyList<RolloutRecord>> GetRolloutsAsync(string service, CancellationToken cancellationToken) =>
        await QueryAsync($"SELECT {RolloutColumns} FROM rollouts WHERE service = $service ORDER BY id", ReadRollout, cancellationToken, ("$service", service));

    /// <summary>Inserts a rollout (Id ignored) and returns it with its id.</summary>
    public async Task<RolloutRecord> InsertRolloutAsync(RolloutRecord rollout, CancellationToken cancellationToken)
    {
        Touch(rollout.Service);
        await using var command = Command(
            $"""
            INSERT INTO rollouts(service, kind, from_release, to_release, state, reason, config_json, failed_json, last_batch_done_at, started_at, updated_at, strategy, progress_json)
            VALUES ($service, $kind, $from, $to, $state, $reason, $config, $failed, $batch, $started, $updated, $strategy, $progress) RETURNING id
            """,
            RolloutParameters(rollout));
        var id = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        return rollout with { Id = id };
    }

    public Task UpdateRolloutAsync(RolloutRecord rollout, CancellationToken cancellationToken)
    {
        Touch(rollout.Service);
        return ExecuteAsync(
            """
            UPDATE rollouts SET state = $state, reason = $reason, failed_json = $failed, last_batch_done_at = $batch, updated_at = $updated, progress_json = $progress
            WHERE id = $id
            """,
            cancellationToken,
            [.. RolloutParameters(rollout), ("$id", rollout.Id)]);
    }

    private static (string, object?)[] RolloutParameters(RolloutRecord rollout) =>
    [
        ("$service", rollout.Service),
        ("$kind", rollout.Kind),
        ("$from", rollout.FromRelease),
        ("$to", rollout.ToRelease),
        ("$state", rollout.State),
        ("$reason", rollout.Reason),
        ("$config", BerthStore.Serialize(rollout.Config)),
        ("$failed", BerthStore.Serialize(rollout.FailedReplicas)),
        ("$batch", Time(rollout.LastBatchDoneAt)),
        ("$started", Time(rollout.StartedAt)),
        ("$updated", Time(rollout.UpdatedAt)),
        ("$strategy", rollout.Strategy),
        ("$progress", rollout.Progress is null ? null : BerthStore.Serialize(rollout.Progress)),
    ];

    public async Task<RolloutRecord?> GetRolloutAsync(long id, CancellationToken cancellationToken) =>
        (await QueryAsync($"SELECT {RolloutColumns} FROM rollouts WHERE id = $id", ReadRollout, cancellationToken, ("$id", id))).FirstOrDefault();

    public Task AddRolloutDecisionAsync(RolloutDecisionRecord decision, CancellationToken cancellationToken) =>
        ExecuteAsync(
            "INSERT INTO rollout_decisions(rollout_id, at, step, kind, message, data_json) VALUES ($rollout, $at, $step, $kind, $message, $data)",
            cancellationToken,
            ("$rollout", decision.RolloutId),
            ("$at", Time(decision.At)),
            ("$step", decision.Step),
            ("$kind", decision.Kind),
            ("$message", decision.Message),
            ("$data", BerthStore.Serialize(decision.Data)));

    public async Task<IReadOnlyList<RolloutDecisionRecord>> GetRolloutDecisionsAsync(long rolloutId, CancellationToken cancellationToken) =>
        await QueryAsync(
            "SELECT id, rollout_id, at, step, kind, message, data_json FROM rollout_decisions WHERE rollout_id = $rollout ORDER BY id",
            r => new RolloutDecisionRecord
            {
                Id = r.GetInt64(0),
                RolloutId = r.GetInt64(1),
                At = ReadTime(r, 2),
                Step = ReadOptionalInt(r, 3),
                Kind = r.GetString(4),
                Message = r.GetString(5),
                Data = BerthStore.Deserialize<Dictionary<string, string>>(r.GetString(6)),
            },
            cancellationToken,
            ("$rollout", rolloutId));

    public Task AddRolloutSampleAsync(RolloutSampleRecord sample, CancellationToken cancellationToken) =>
        ExecuteAsync(
            """
            INSERT INTO rollout_samples(rollout_id, at, release, role, weight, window_seconds, requests, error_rate, p50_ms, p95_ms, p99_ms)
            VALUES ($rollout, $at, $release, $role, $weight, $window, $requests, $errors, $p50, $p95, $p99)
            """,
            cancellationToken,
            ("$rollout", sample.RolloutId),
            ("$at", Time(sample.At)),
            ("$release", sample.Release),
            ("$role", sample.Role),
            ("$weight", sample.Weight),
            ("$window", sample.WindowSeconds),
            ("$requests", sample.Requests),
            ("$errors", sample.ErrorRate),
            ("$p50", sample.P50Ms),
            ("$p95", sample.P95Ms),
            ("$p99", sample.P99Ms));

    public async Task<IReadOnlyList<RolloutSampleRecord>> GetRolloutSamplesAsync(long rolloutId, CancellationToken cancellationToken) =>
        await QueryAsync(
            "SELECT rollout_id, at, release, role, weight, window_seconds, requests, error_rate, p50_ms, p95_ms, p99_ms FROM rollout_samples WHERE rollout_id = $rollout ORDER BY at, role",
            r => new RolloutSampleRecord
            {
                RolloutId = r.GetInt64(0),
                At = ReadTime(r, 1),
                Release = r.GetInt32(2),
                Role = r.GetString(3),
                Weight = r.GetInt32(4),
                WindowSeconds = r.GetDouble(5),
                Requests = r.GetInt64(6),
                ErrorRate = r.GetDouble(7),
                P50Ms = r.GetDouble(8),
                P95Ms = r.GetDouble(9),
                P99Ms = r.GetDouble(10),
            },
            cancellationToken,
            ("$rollout", rolloutId));
}
