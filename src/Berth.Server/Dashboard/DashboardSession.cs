namespace Berth.Server.Dashboard;

/// <summary>
/// A signed-in dashboard: the token it signed in with (kept server-side only, checked again on every call, so a revoked
/// or expired token ends the session at once), and the CSRF token its page sends with every change.
/// </summary>
public sealed class DashboardSession(string id, string csrf, string token, DateTimeOffset createdAt)
{
    public string Id { get; } = id;
    public string Csrf { get; } = csrf;
    public string Token { get; } = token;
    public DateTimeOffset CreatedAt { get; } = createdAt;
    public DateTimeOffset LastSeen { get; set; } = createdAt;
}
