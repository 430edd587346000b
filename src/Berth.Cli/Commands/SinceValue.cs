using System.Globalization;
using Berth.Spec;

namespace Berth.Cli.Commands;

/// <summary>
/// What <c>--since</c> takes: a duration meaning that long ago (<c>10m</c>, <c>1h30m</c>, <c>2d</c>), or a time in
/// RFC 3339 / ISO 8601 (<c>2026-12-04T10:00:00Z</c>, <c>2026-12-04T12:00:00+02:00</c>, <c>2026-12-04</c>); a time
/// without an offset is UTC, as Berth prints times.
/// </summary>
public sealed record SinceValue
{
    private static readonly string[] TimeFormats =
    [
        "yyyy-MM-dd",
        "yyyy-MM-dd'T'HH:mm",
        "yyyy-MM-dd'T'HH:mm:ss",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF",
        "yyyy-MM-dd'T'HH:mmK",
        "yyyy-MM-dd'T'HH:mm:ssK",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd HH:mm:ssK",
        "yyyy-MM-dd HH:mm:ss",
    ];

    private SinceValue(TimeSpan? ago, DateTimeOffset? at)
    {
        Ago = ago;
        At = at;
    }

    /// <summary>"That long ago", when a duration was given.</summary>
    public TimeSpan? Ago { get; }

    /// <summary>The instant, when a time was given.</summary>
    public DateTimeOffset? At { get; }

    public static bool TryParse(string? text, out SinceValue? value)
    {
        value = null;
        text = text?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        // Days but no bare numbers: "--since 42" is ambiguous (seconds? a sequence number?), so it is refused.
        if (DurationCodec.TryParse(text, DurationSyntax.Days, out var ago))
        {
            value = new SinceValue(ago, null);
            return true;
        }

        if (DateTimeOffset.TryParseExact(
                text, TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
        {
            value = new SinceValue(null, at);
            return true;
        }

        return false;
    }

    /// <summary>"--since: 'abc' is not a duration ... or a time ...", with a hint for a number without a unit.</summary>
    public static string Problem(string option, string text, string? bareNumberHint = null)
    {
        var hint = DurationCodec.IsBareNumber(text)
            ? $" A number needs a unit: {text.Trim()}s for {text.Trim()} seconds ago{(bareNumberHint is null ? "" : $"; {bareNumberHint}")}."
            : string.Empty;
        return $"{option}: '{text}' is not a duration ({DurationCodec.CliExamples}: that long ago) or a time (2026-12-04T10:00:00Z, 2026-12-04).{hint}";
    }

    /// <summary>The instant meant, <paramref name="now"/> being the CLI's clock.</summary>
    public DateTimeOffset Resolve(DateTimeOffset now) => At ?? now - Ago!.Value;
}
