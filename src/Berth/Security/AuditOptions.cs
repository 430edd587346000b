namespace Berth.Security;

/// <summary>How long the audit log keeps its entries.</summary>
public sealed class AuditOptions
{
    /// <summary>
    /// Entries older than this are deleted (default 90 days). Retention is by time, not count, so a flood of refused
    /// attempts cannot push real entries out; the flood itself is bounded by the authentication lockout.
    /// </summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(90);
}
