namespace Berth.Api;

/// <summary>One audit log entry as GET /api/v1/audit and `berth audit --json` give it.</summary>
public sealed record AuditEntryInfo(
    long Seq,
    DateTimeOffset At,
    string Who,
    string? Role,
    string Action,
    string? Target,
    string Result,
    int Status,
    string? From,
    string? Detail);
