namespace Berth.Store;

public sealed partial class StoreTransaction
{
    /// <summary>Appends an event and returns it with its sequence number.</summary>
    public async Task<EventRecord> AppendEventAsync(EventRecord entry, CancellationToken cancellationToken)
    {
        await using var command = Command(
            "INSERT INTO events(time, kind, stack, service, replica, message) VALUES ($time, $kind, $stack, $service, $replica, $message) RETURNING seq",
            ("$time", Time(entry.Time)),
            ("$kind", entry.Kind),
            ("$stack", entry.Stack),
            ("$service", entry.Service),
            ("$replica", entry.Replica),
            ("$message", entry.Message));
        var seq = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        return entry with { Seq = seq };
    }

    /// <summary>Deletes the events numbered <paramref name="seq"/> or lower (the oldest).</summary>
    public async Task DeleteEventsUpToAsync(long seq, CancellationToken cancellationToken)
    {
        await using var command = Command("DELETE FROM events WHERE seq <= $seq", ("$seq", seq));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Events after <paramref name="since"/>, oldest first, optionally of one service.</summary>
    public async Task<IReadOnlyList<EventRecord>> GetEventsAsync(long since, string? service, int limit, CancellationToken cancellationToken) =>
        await QueryAsync(
            """
            SELECT seq, time, kind, stack, service, replica, message FROM events
            WHERE seq > $since AND ($service IS NULL OR service = $service)
            ORDER BY seq LIMIT $limit
            """,
            r => new EventRecord(r.GetInt64(0), ReadTime(r, 1), r.GetString(2), ReadOptionalString(r, 3), ReadOptionalString(r, 4), ReadOptionalString(r, 5), r.GetString(6)),
            cancellationToken,
            ("$since", since),
            ("$service", service),
            ("$limit", limit));

    /// <summary>
    /// The sequence number after which the newest <paramref name="count"/> events (of <paramref name="service"/>, when
    /// given) lie: the newest event's for 0, 0 when there are no more than <paramref name="count"/>.
    /// </summary>
    public async Task<long> GetSeqBeforeNewestEventsAsync(string? service, int count, CancellationToken cancellationToken)
    {
        await using var command = Command(
            """
            SELECT seq FROM events
            WHERE $service IS NULL OR service = $service
            ORDER BY seq DESC LIMIT 1 OFFSET $count
            """,
            ("$service", service),
            ("$count", count));
        return await command.ExecuteScalarAsync(cancellationToken) is long seq ? seq : 0;
    }
}
