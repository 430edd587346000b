using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace Berth.Server.Dashboard;

/// <summary>
/// The dashboard's sessions, in the server's memory: a restart signs everyone out, and a session id never reaches the
/// store or a log. Ids and CSRF tokens are 256 random bits each.
/// </summary>
public sealed class DashboardSessions(TimeProvider time, IOptions<DashboardOptions> options)
{
    private readonly ConcurrentDictionary<string, DashboardSession> _sessions = new(StringComparer.Ordinal);

    public DashboardSession Create(string token)
    {
        Prune();
        var now = time.GetUtcNow();
        var session = new DashboardSession(NewSecret(), NewSecret(), token, now);
        _sessions[session.Id] = session;
        return session;
    }

    /// <summary>The live session of that id (its last use moved to now), or null: unknown, idle too long or too old.</summary>
    public DashboardSession? Find(string? id)
    {
        if (string.IsNullOrEmpty(id) || !_sessions.TryGetValue(id, out var session))
        {
            return null;
        }

        var now = time.GetUtcNow();
        if (now - session.LastSeen > options.Value.IdleTimeout || now - session.CreatedAt > options.Value.MaxAge)
        {
            _sessions.TryRemove(id, out _);
            return null;
        }

        session.LastSeen = now;
        return session;
    }

    public void End(string? id)
    {
        if (id is not null)
        {
            _sessions.TryRemove(id, out _);
        }
    }

    /// <summary>True when <paramref name="presented"/> is the session's CSRF token (compared in constant time).</summary>
    public static bool CsrfMatches(DashboardSession session, string? presented) =>
        presented is not null
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(session.Csrf), Encoding.ASCII.GetBytes(presented));

    private void Prune()
    {
        var excess = _sessions.Count - options.Value.MaxSessions + 1;
        if (excess <= 0)
        {
            return;
        }

        foreach (var stale in _sessions.Values.OrderBy(s => s.LastSeen).Take(excess))
        {
            _sessions.TryRemove(stale.Id, out _);
        }
    }

    private static string NewSecret() => WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
}
