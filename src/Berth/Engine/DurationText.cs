using System.Globalization;
using System.Text;

namespace Berth.Engine;

/// <summary>Formats durations the way compose files write them ("1m30s", "500ms", "0s").</summary>
public static class DurationText
{
    public static string Format(TimeSpan value)
    {
        if (value == TimeSpan.Zero)
        {
            return "0s";
        }

        var text = new StringBuilder();
        if (value < TimeSpan.Zero)
        {
            text.Append('-');
            value = value.Negate();
        }

        if (value.Days > 0 || value.Hours > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{(int)value.TotalHours}h");
        }

        if (value.Minutes > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{value.Minutes}m");
        }

        if (value.Seconds > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{value.Seconds}s");
        }

        if (value.Milliseconds > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{value.Milliseconds}ms");
        }

        return text.Length == 0 || text.ToString() == "-" ? $"{value.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)}ms" : text.ToString();
    }
}
