using Berth.Spec;
using Microsoft.Data.Sqlite;

namespace Berth.Store;

public sealed partial class StoreTransaction
{
    private const string RolloutColumns =
        "id, service, kind, from_release, to_release, state, reason, config_json, failed_json, last_batch_done_at, started_at, updated_at";

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
        await using var command = Command(
            $"""
            INSERT INTO rollouts(service, kind, from_release, to_release, state, reason, config_json, failed_json, last_batch_done_at, started_at, updated_at)
            VALUES ($service, $kind, $from, $to, $state, $reason, $config, $failed, $batch, $started, $updated) RETURNING id
            """,
            RolloutParameters(rollout));
        var id = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        return rollout with { Id = id };
    }

    public Task UpdateRolloutAsync(RolloutRecord rollout, CancellationToken cancellationToken) =>
        ExecuteAsync(
            """
            UPDATE rollouts SET state = $state, reason = $reason, failed_json = $failed, last_batch_done_at = $batch, updated_at = $updated
            WHERE id = $id
            """,
            cancellationToken,
            [.. RolloutParameters(rollout), ("$id", rollout.Id)]);

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
    ];
}
