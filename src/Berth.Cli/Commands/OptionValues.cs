using System.Globalization;

namespace Berth.Cli.Commands;

/// <summary>
/// Reads typed values from the text options and arguments carry (settings keep them as strings, so a bad value gets a
/// message naming the option, the value and what is valid, instead of Spectre's "Failed to convert 'abc' to Int32").
/// </summary>
public static class OptionValues
{
    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/> (no sign, no decimals, no blanks).</summary>
    public static bool TryWholeNumber(string? text, long min, out long value, long max = int.MaxValue) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max;

    /// <summary>"--to: 'abc' is not a release number (a whole number, 1 or more)."</summary>
    public static string NotAWholeNumber(string option, string text, long min, string what) =>
        string.Create(CultureInfo.InvariantCulture, $"{option}: '{text}' is not {what} (a whole number, {min} or more).");

    /// <summary>The number, or null when absent; callers have validated it with <see cref="TryWholeNumber"/>.</summary>
    public static long? WholeNumber(string? text) =>
        text is not null && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
}
