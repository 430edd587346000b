using System.Globalization;

namespace Berth.Api;

/// <summary>Instants in API query strings (<c>?since=2026-12-04T10:00:00Z</c>): RFC 3339, written in UTC by the CLI.</summary>
public static class ApiTime
{
    /// <summary>"2026-12-04T10:00:00Z" (fractions of a second only when there are some).</summary>
    public static string Format(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    /// <summary>Reads an RFC 3339 date-time (with Z or an offset; without one it is UTC).</summary>
    public static bool TryParse(string? text, out DateTimeOffset time) =>
        DateTimeOffset.TryParseExact(
            text,
            ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"],
            CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
            out time);

    /// <summary>The 400 for a bad time parameter.</summary>
    public static ProblemException Invalid(string parameter, string text) =>
        ProblemException.Invalid($"{parameter}: '{text}' is not an RFC 3339 time such as 2026-12-04T10:00:00Z");
}
