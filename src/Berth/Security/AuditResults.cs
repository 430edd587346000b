namespace Berth.Security;

/// <summary>The words the audit log uses for an outcome, derived from the HTTP status the caller got.</summary>
public static class AuditResults
{
    public const string Ok = "ok";
    public const string Unauthenticated = "unauthenticated";
    public const string Denied = "denied";
    public const string Throttled = "throttled";
    public const string Refused = "refused";
    public const string Failed = "failed";

    /// <summary>ok (2xx/3xx), unauthenticated (401), denied (403), throttled (429), refused (other 4xx: bad input, conflict), failed (5xx).</summary>
    public static string FromStatus(int status) => status switch
    {
        < 400 => Ok,
        401 => Unauthenticated,
        403 => Denied,
        429 => Throttled,
        < 500 => Refused,
        _ => Failed,
    };

    /// <summary>Whether the attempt was turned away by access control (the entries kept even for reads).</summary>
    public static bool IsAccessRefusal(int status) => status is 401 or 403 or 429;
}
