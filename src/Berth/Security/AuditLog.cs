using Berth.Store;
using Microsoft.Extensions.Options;

namespace Berth.Security;

/// <summary>Appends to the audit log and reads it back; deletes entries older than <see cref="AuditOptions.Retention"/>.</summary>
public sealed class AuditLog
{
    /// <summary>Old entries are looked for at the first append, then at most this often.</summary>
    private static readonly TimeSpan PruneInterval = TimeSpan.FromHours(1);

    private readonly BerthStore _store;
    private readonly TimeProvider _time;
    private readonly TimeSpan _retention;
    private readonly Lock _pruneGate = new();
    private DateTimeOffset _lastPrune = DateTimeOffset.MinValue;

    public AuditLog(BerthStore store, TimeProvider time, IOptions<AuditOptions> options)
    {
        _store = store;
        _time = time;
        _retention = options.Value.Retention;
    }

    /// <summary>Records one entry (its time is now); returns it with its sequence number.</summary>
    public async Task<AuditEntry> RecordAsync(
        string who, string? role, string action, string? target, int status, string? source, string? detail, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var entry = new AuditEntry(0, now, who, role, action, target, AuditResults.FromStatus(status), status, source, detail);
        bool prune;
        lock (_pruneGate)
        {
            prune = now - _lastPrune >= PruneInterval;
            if (prune)
            {
                _lastPrune = now;
            }
        }

        return await _store.WriteAsync(
            async tx =>
            {
                if (prune)
                {
                    await tx.DeleteAuditBeforeAsync(now - _retention, cancellationToken);
                }

                return await tx.AppendAuditAsync(entry, cancellationToken);
            },
            cancellationToken);
    }

    /// <summary>Entries at or after <paramref name="since"/> (all when null), oldest first, at most <paramref name="limit"/> (the newest ones).</summary>
    public Task<IReadOnlyList<AuditEntry>> ReadAsync(DateTimeOffset? since, int limit, CancellationToken cancellationToken) =>
        _store.ReadAsync(tx => tx.GetAuditAsync(since, limit, cancellationToken), cancellationToken);
}
