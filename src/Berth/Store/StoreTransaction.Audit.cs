using Berth.Security;

namespace Berth.Store;

public sealed partial class StoreTransaction
{
    public async Task<AuditEntry> AppendAuditAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        await using var command = Command(
            """
            INSERT INTO audit(at, who, role, action, target, result, status, source, detail)
            VALUES ($at, $who, $role, $action, $target, $result, $status, $source, $detail) RETURNING seq
            """,
            ("$at", Time(entry.At)),
            ("$who", entry.Who),
            ("$role", entry.Role),
            ("$action", entry.Action),
            ("$target", entry.Target),
            ("$result", entry.Result),
            ("$status", entry.Status),
            ("$source", entry.Source),
            ("$detail", entry.Detail));
        var seq = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        return entry with { Seq = seq };
    }

    public Task DeleteAuditBeforeAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        ExecuteAsync("DELETE FROM audit WHERE at < $before", cancellationToken, ("$before", Time(before)));

    /// <summary>The newest <paramref name="limit"/> entries at or after <paramref name="since"/>, returned oldest first.</summary>
    public async Task<IReadOnlyList<AuditEntry>> GetAuditAsync(DateTimeOffset? since, int limit, CancellationToken cancellationToken)
    {
        var newestFirst = await QueryAsync(
            """
            SELECT seq, at, who, role, action, target, result, status, source, detail FROM audit
            WHERE $since IS NULL OR at >= $since
            ORDER BY seq DESC LIMIT $limit
            """,
            r => new AuditEntry(
                r.GetInt64(0), ReadTime(r, 1), r.GetString(2), ReadOptionalString(r, 3), r.GetString(4), ReadOptionalString(r, 5),
                r.GetString(6), r.GetInt32(7), ReadOptionalString(r, 8), ReadOptionalString(r, 9)),
            cancellationToken,
            ("$since", Time(since)),
            ("$limit", limit));
        newestFirst.Reverse();
        return newestFirst;
    }
}
