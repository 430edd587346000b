namespace Berth.Api;

/// <summary>A token as `berth token ls` shows it: never its secret.</summary>
public sealed record TokenInfo(
    string Name,
    string Role,
    string Id,
    DateTimeOffset CreatedAt,
    string? CreatedBy,
    DateTimeOffset? Expires,
    DateTimeOffset? RevokedAt,
    DateTimeOffset? LastUsedAt,
    string State);
