namespace Berth.Server.Dashboard;

/// <summary>
/// Where the web dashboard lives on the control plane. Its pages and assets are public (they hold no data); everything
/// else under <see cref="Prefix"/> takes the dashboard's session cookie, and only there: <c>/api/v1</c> keeps bearer tokens.
/// The dashboard calls the API through <see cref="Api"/> (<c>/ui/api/v1/…</c> is <c>/api/v1/…</c> with the cookie's token).
/// </summary>
public static class DashboardPaths
{
    public const string Page = "/";
    public const string Prefix = "/ui";
    public const string Assets = Prefix + "/assets";
    public const string Session = Prefix + "/session";
    public const string Overview = Prefix + "/overview";
    public const string Live = Prefix + "/live";
    public const string Api = Prefix + "/api";

    /// <summary>The session cookie: HttpOnly, SameSite=Strict, Path=/ui (never sent to /api/v1), Secure over TLS.</summary>
    public const string Cookie = "berth_session";

    /// <summary>The header every dashboard call that changes something carries: the session's CSRF token.</summary>
    public const string CsrfHeader = "X-Berth-CSRF";
}
