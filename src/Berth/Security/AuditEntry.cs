namespace Berth.Security;

/// <summary>
/// One line of the audit log: who (the token's name, or "anonymous"), did what, to what, with which result, when
/// and from where. Never holds a token or a secret's value.
/// </summary>
public sealed record AuditEntry(
    long Seq,
    DateTimeOffset At,
    string Who,
    string? Role,
    string Action,
    string? Target,
    string Result,
    int Status,
    string? Source,
    string? Detail);
