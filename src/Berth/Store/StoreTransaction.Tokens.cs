using Berth.Security;
using Microsoft.Data.Sqlite;

namespace Berth.Store;

public sealed partial class StoreTransaction
{
    private const string TokenColumns = "id, name, role, secret_hash, created_at, created_by, expires_at, revoked_at, last_used_at";

    public Task InsertTokenAsync(TokenRecord token, CancellationToken cancellationToken) =>
        ExecuteAsync(
            $"INSERT INTO tokens({TokenColumns}) VALUES ($id, $name, $role, $hash, $created, $by, $expires, NULL, NULL)",
            cancellationToken,
            ("$id", token.Id),
            ("$name", token.Name),
            ("$role", RolePermissions.Name(token.Role)),
            ("$hash", token.SecretHash),
            ("$created", Time(token.CreatedAt)),
            ("$by", token.CreatedBy),
            ("$expires", Time(token.ExpiresAt)));

    public async Task<TokenRecord?> GetTokenAsync(string id, CancellationToken cancellationToken) =>
        (await QueryAsync($"SELECT {TokenColumns} FROM tokens WHERE id = $id", ReadToken, cancellationToken, ("$id", id))).FirstOrDefault();

    public async Task<TokenRecord?> GetActiveTokenByNameAsync(string name, CancellationToken cancellationToken) =>
        (await QueryAsync($"SELECT {TokenColumns} FROM tokens WHERE name = $name AND revoked_at IS NULL", ReadToken, cancellationToken, ("$name", name))).FirstOrDefault();

    /// <summary>Tokens by name (then newest first); revoked ones only with <paramref name="includeRevoked"/>.</summary>
    public async Task<IReadOnlyList<TokenRecord>> GetTokensAsync(bool includeRevoked, CancellationToken cancellationToken) =>
        await QueryAsync(
            $"SELECT {TokenColumns} FROM tokens WHERE $all = 1 OR revoked_at IS NULL ORDER BY name, created_at DESC",
            ReadToken,
            cancellationToken,
            ("$all", includeRevoked ? 1 : 0));

    public Task RevokeTokenAsync(string id, DateTimeOffset at, CancellationToken cancellationToken) =>
        ExecuteAsync("UPDATE tokens SET revoked_at = $at WHERE id = $id AND revoked_at IS NULL", cancellationToken, ("$id", id), ("$at", Time(at)));

    public Task SetTokenLastUsedAsync(string id, DateTimeOffset at, CancellationToken cancellationToken) =>
        ExecuteAsync("UPDATE tokens SET last_used_at = $at WHERE id = $id", cancellationToken, ("$id", id), ("$at", Time(at)));

    private static TokenRecord ReadToken(SqliteDataReader r)
    {
        if (!RolePermissions.TryParse(r.GetString(2), out var role))
        {
            throw new InvalidDataException($"token {r.GetString(0)} has an unknown role '{r.GetString(2)}' in the store");
        }

        return new TokenRecord(
            r.GetString(0),
            r.GetString(1),
            role,
            (byte[])r.GetValue(3),
            ReadTime(r, 4),
            ReadOptionalString(r, 5),
            ReadOptionalTime(r, 6),
            ReadOptionalTime(r, 7),
            ReadOptionalTime(r, 8));
    }
}
