using System.Globalization;
using System.Text;

namespace Berth.Spec.Loading;

/// <summary>Go/compose durations: <c>1m30s</c>, <c>10s</c>, <c>1h</c>, <c>500ms</c>, <c>1.5s</c>, <c>2us</c>; a bare number means seconds.</summary>
internal static class GoDuration
{
    public const string Examples = "\"1m30s\", \"10s\" or \"500ms\"";

    private static readonly (string Unit, double Ticks)[] Units =
    [
        ("ns", 0.01), ("us", 10), ("µs", 10), ("μs", 10), ("ms", TimeSpan.TicksPerMillisecond),
        ("s", TimeSpan.TicksPerSecond), ("m", TimeSpan.TicksPerMinute), ("h", TimeSpan.TicksPerHour),
    ];

    public static bool TryParse(string text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        text = text.Trim();
        if (text.Length == 0)
        {
            return false;
        }

        if (double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds))
        {
            return TryFromTicks(seconds * TimeSpan.TicksPerSecond, out value);
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
            var match = Array.Find(Units, u => u.Unit == unit);
            if (match.Unit is null)
            {
                return false;
            }

            ticks += number * match.Ticks;
        }

        return TryFromTicks(ticks, out value);
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

    /// <summary>Compact Go-style text: <c>1h</c>, <c>1m30s</c>, <c>1.5s</c>, <c>500ms</c>, <c>0s</c>.</summary>
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
}
