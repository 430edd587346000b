namespace Berth.Security;

/// <summary>A token as the store keeps it: its id, name, role and the hash of its secret, never the secret.</summary>
public sealed record TokenRecord(
    string Id,
    string Name,
    BerthRole Role,
    byte[] SecretHash,
    DateTimeOffset CreatedAt,
    string? CreatedBy,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? RevokedAt,
    DateTimeOffset? LastUsedAt)
{
    public bool IsExpired(DateTimeOffset now) => ExpiresAt is { } expires && expires <= now;
}
