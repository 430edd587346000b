using System.Globalization;

namespace Berth.Spec.Loading;

/// <summary>Memory sizes as docker reads them: bytes, or a number with b, k, m, g, t (binary multiples; kb/kib alike).</summary>
internal static class ByteSizeParser
{
    public const string Examples = "\"512M\", \"1g\", \"1.5GB\" or a number of bytes";

    public static bool TryParse(string text, out long bytes)
    {
        bytes = 0;
        text = text.Trim().ToLowerInvariant();
        var i = 0;
        while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'))
        {
            i++;
        }

        if (!double.TryParse(text.AsSpan(0, i), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }

        double multiplier = text[i..].Trim() switch
        {
            "" or "b" => 1,
            "k" or "kb" or "kib" => 1L << 10,
            "m" or "mb" or "mib" => 1L << 20,
            "g" or "gb" or "gib" => 1L << 30,
            "t" or "tb" or "tib" => 1L << 40,
            _ => -1,
        };
        var value = number * multiplier;
        if (multiplier < 0 || value >= long.MaxValue)
        {
            return false;
        }

        bytes = (long)value;
        return true;
    }
}
