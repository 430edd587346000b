using System.Globalization;
using System.Text;

namespace Berth.Spec;

/// <summary>
/// Berth's one duration grammar, read and written: Go durations as compose files write them (<c>1m30s</c>, <c>500ms</c>,
/// <c>2h45m</c>, <c>1.5h</c>), plus, where <see cref="DurationSyntax"/> allows, bare seconds (<c>120</c>) and days (<c>30d</c>).
/// Negative durations are refused.
/// </summary>
public static class DurationCodec
{
    /// <summary>Examples for a compose key's error message.</summary>
    public const string ComposeExamples = "\"1m30s\", \"10s\" or \"500ms\"";

    /// <summary>Examples for a CLI option's error message.</summary>
    public const string CliExamples = "90s, 1m30s, 500ms, 1.5h or 2d";

    private static readonly (string Unit, double Ticks)[] Units =
    [
        ("ns", 0.01), ("us", 10), ("µs", 10), ("μs", 10), ("ms", TimeSpan.TicksPerMillisecond),
        ("s", TimeSpan.TicksPerSecond), ("m", TimeSpan.TicksPerMinute), ("h", TimeSpan.TicksPerHour),
    ];

    private static readonly (string Unit, double Ticks) Day = ("d", TimeSpan.TicksPerDay);

    /// <summary>Reads <paramref name="text"/> (surrounding blanks ignored) in the given <paramref name="syntax"/>.</summary>
    public static bool TryParse(string? text, DurationSyntax syntax, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        text = text?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        if (IsBareNumber(text))
        {
            return syntax.HasFlag(DurationSyntax.BareSeconds)
                && double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds)
                && TryFromTicks(seconds * TimeSpan.TicksPerSecond, out value);
        }

        double ticks = 0;
        var i = 0;
        while (i < text.Length)
        {
            var start = i;
            while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'))
            {
                i++;
            }

            if (!double.TryParse(text.AsSpan(start, i - start), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                return false;
            }

            var unitStart = i;
            while (i < text.Length && !char.IsAsciiDigit(text[i]) && text[i] != '.')
            {
                i++;
            }

            var unit = text[unitStart..i];
            var match = unit == Day.Unit && syntax.HasFlag(DurationSyntax.Days) ? Day : Array.Find(Units, u => u.Unit == unit);
            if (match.Unit is null)
            {
                return false;
            }

            ticks += number * match.Ticks;
        }

        return TryFromTicks(ticks, out value);
    }

    /// <summary>True for a number without a unit (<c>30</c>, <c>2.5</c>), which only <see cref="DurationSyntax.BareSeconds"/> reads.</summary>
    public static bool IsBareNumber(string text) =>
        double.TryParse(text.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out _);

    /// <summary>Compact Go-style text, read back by every syntax: <c>1h</c>, <c>1m30s</c>, <c>1.5s</c>, <c>500ms</c>, <c>0s</c> (never days).</summary>
    public static string Format(TimeSpan value)
    {
        if (value == TimeSpan.Zero)
        {
            return "0s";
        }

        if (value < TimeSpan.FromSeconds(1))
        {
            return value.Ticks % TimeSpan.TicksPerMillisecond == 0
                ? $"{value.Ticks / TimeSpan.TicksPerMillisecond}ms"
                : $"{(value.Ticks / 10.0).ToString(CultureInfo.InvariantCulture)}us";
        }

        var sb = new StringBuilder();
        var hours = (long)value.TotalHours;
        if (hours > 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{hours}h");
        }

        if (value.Minutes > 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{value.Minutes}m");
        }

        var secondTicks = value.Ticks % TimeSpan.TicksPerMinute;
        if (secondTicks > 0)
        {
            sb.Append((secondTicks / (double)TimeSpan.TicksPerSecond).ToString(CultureInfo.InvariantCulture)).Append('s');
        }

        return sb.ToString();
    }

    private static bool TryFromTicks(double ticks, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (double.IsNaN(ticks) || ticks < 0 || ticks > TimeSpan.MaxValue.Ticks)
        {
            return false;
        }

        value = TimeSpan.FromTicks((long)Math.Round(ticks));
        return true;
    }
}
