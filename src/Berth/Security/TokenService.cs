using System.Collections.Concurrent;
using Berth.Api;
using Berth.Engine;
using Berth.Store;
using Microsoft.Extensions.Options;

namespace Berth.Security;

/// <summary>Creates, lists, revokes and checks API tokens; the store holds only each secret's hash.</summary>
public sealed class TokenService
{
    /// <summary>How often a token's last use is written (a write on every request would cost more than the check).</summary>
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    private readonly BerthStore _store;
    private readonly TimeProvider _time;
    private readonly SecurityOptions _options;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastUseWritten = new(StringComparer.Ordinal);

    public TokenService(BerthStore store, TimeProvider time, IOptions<SecurityOptions> options)
    {
        _store = store;
        _time = time;
        _options = options.Value;
    }

    /// <summary>Makes a token; the returned <see cref="AccessToken"/> is the only time its secret exists outside the caller.</summary>
    public async Task<(TokenRecord Record, AccessToken Token)> CreateAsync(
        string name, BerthRole role, TimeSpan? expiresIn, string? createdBy, CancellationToken cancellationToken)
    {
        if (!TokenNames.IsValid(name))
        {
            throw ProblemException.Invalid($"token name '{name}' is not valid: {TokenNames.Rule}");
        }

        if (expiresIn is { } lifetime && (lifetime <= TimeSpan.Zero || lifetime > _options.MaxTokenLifetime))
        {
            throw ProblemException.Invalid(
                $"a token's lifetime must be more than 0 and at most {DurationText.Format(_options.MaxTokenLifetime)} (got {DurationText.Format(lifetime)})");
        }

        var now = _time.GetUtcNow();
        var token = AccessToken.Generate();
        var record = new TokenRecord(token.Id, name, role, token.SecretHash(), now, createdBy, now + expiresIn, null, null);
        await _store.WriteAsync(
            async tx =>
            {
                if (await tx.GetActiveTokenByNameAsync(name, cancellationToken) is not null)
                {
                    throw ProblemException.Conflict($"a token named '{name}' exists; revoke it first (berth token revoke {name}) or choose another name");
                }

                await tx.InsertTokenAsync(record, cancellationToken);
            },
            cancellationToken);
        return (record, token);
    }

    /// <summary>Tokens not revoked, by name; with <paramref name="all"/> revoked ones too.</summary>
    public Task<IReadOnlyList<TokenRecord>> ListAsync(bool all, CancellationToken cancellationToken) =>
        _store.ReadAsync(tx => tx.GetTokensAsync(all, cancellationToken), cancellationToken);

    /// <summary>Revokes the active token named <paramref name="name"/>: refused from the next request on.</summary>
    public async Task<TokenRecord> RevokeAsync(string name, CancellationToken cancellationToken) =>
        await RevokeIfActiveAsync(name, cancellationToken)
        ?? throw ProblemException.NotFound($"no active token named '{name}' (berth token ls lists them)");

    /// <summary>Revokes the active token named <paramref name="name"/> if there is one; returns it, or null.</summary>
    public async Task<TokenRecord?> RevokeIfActiveAsync(string name, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        return await _store.WriteAsync(
            async tx =>
            {
                if (await tx.GetActiveTokenByNameAsync(name, cancellationToken) is not { } token)
                {
                    return null;
                }

                await tx.RevokeTokenAsync(token.Id, now, cancellationToken);
                return token with { RevokedAt = now };
            },
            cancellationToken);
    }

    /// <summary>Checks a presented token: shape, id, secret (constant time), revocation and expiry.</summary>
    public async Task<TokenCheck> CheckAsync(string presented, CancellationToken cancellationToken)
    {
        if (!AccessToken.TryParse(presented, out var token, out var problem))
        {
            return TokenCheck.Refused($"the token is malformed: {problem}");
        }

        var record = await _store.ReadAsync(tx => tx.GetTokenAsync(token.Id, cancellationToken), cancellationToken);

        // The same answer for an unknown id and a wrong secret: a caller learns nothing about which ids exist.
        if (record is null || !token.Matches(record.SecretHash))
        {
            return TokenCheck.Refused("the token is not valid for this server (unknown or mistyped)");
        }

        var now = _time.GetUtcNow();
        if (record.RevokedAt is { } revoked)
        {
            return TokenCheck.Refused($"the token '{record.Name}' was revoked at {revoked:u}", record.Name);
        }

        if (record.IsExpired(now))
        {
            return TokenCheck.Refused($"the token '{record.Name}' expired at {record.ExpiresAt:u}", record.Name);
        }

        await NoteUseAsync(record, now, cancellationToken);
        return TokenCheck.Valid(record);
    }

    private async Task NoteUseAsync(TokenRecord record, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (_lastUseWritten.TryGetValue(record.Id, out var written) && now - written < LastUsedResolution)
        {
            return;
        }

        _lastUseWritten[record.Id] = now;
        await _store.WriteAsync(tx => tx.SetTokenLastUsedAsync(record.Id, now, cancellationToken), cancellationToken);
    }
}
