using System.Globalization;
using System.Text.RegularExpressions;
using System.Text.Json.Nodes;
using Berth.Spec.Loading;

namespace Berth.Spec.Schema;

/// <summary>
/// The JSON value a YAML scalar stands for, as compose's YAML 1.2 parser reads it: a plain <c>true</c> is a boolean,
/// a plain <c>12</c> an integer, a plain <c>yes</c> or any quoted scalar a string.
/// </summary>
internal static partial class YamlScalarType
{
    [GeneratedRegex("^[-+]?[0-9][0-9_]*$")]
    private static partial Regex DecimalInteger();

    [GeneratedRegex("^0x[0-9a-fA-F_]+$")]
    private static partial Regex HexInteger();

    [GeneratedRegex("^0o[0-7_]+$")]
    private static partial Regex OctalInteger();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex Float();

    [GeneratedRegex(@"^[-+]?\.(inf|Inf|INF)$|^\.(nan|NaN|NAN)$")]
    private static partial Regex SpecialFloat();

    /// <summary>The typed value of <paramref name="scalar"/>; null for YAML null.</summary>
    public static JsonNode? ToJson(ScalarNode scalar)
    {
        if (scalar.Value is not { } text)
        {
            return null;
        }

        if (!scalar.Plain)
        {
            return JsonValue.Create(text);
        }

        return Typed(text) ?? JsonValue.Create(text);
    }

    /// <summary>The number or boolean a plain scalar spells, or null when it is a string.</summary>
    private static JsonNode? Typed(string text)
    {
        switch (text)
        {
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
        }

        if (text.Length == 0 || text.Length > 400)
        {
            return null;
        }

        if (DecimalInteger().IsMatch(text))
        {
            var digits = text.Replace("_", "", StringComparison.Ordinal);
            return long.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)
                ? JsonValue.Create(l)
                : Number(double.Parse(digits, NumberStyles.Float, CultureInfo.InvariantCulture));
        }

        if (HexInteger().IsMatch(text) && long.TryParse(text[2..].Replace("_", "", StringComparison.Ordinal), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex))
        {
            return JsonValue.Create(hex);
        }

        if (OctalInteger().IsMatch(text) && text[2..].Replace("_", "", StringComparison.Ordinal) is { Length: > 0 and <= 20 } octal)
        {
            return JsonValue.Create(Convert.ToInt64(octal, 8));
        }

        if (Float().IsMatch(text) && double.TryParse(text.Replace("_", "", StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d))
        {
            return Number(d);
        }

        // JSON has no infinity or NaN; a number of the same sign keeps the type, which is what the schema checks.
        return SpecialFloat().IsMatch(text) ? Number(text.StartsWith('-') ? double.MinValue : double.MaxValue) : null;
    }

    /// <summary>
    /// A number as a decimal: JsonSchema.Net compares numbers (uniqueItems, enum) as decimals and throws on one that
    /// does not fit (found by fuzzing: <c>cap_add: [.inf, 1e300]</c>). Beyond decimal's range, magnitudes are squeezed
    /// into its top so that different numbers stay different and keep their order.
    /// </summary>
    internal static JsonNode Number(double value)
    {
        const double Edge = 7e28;
        if (Math.Abs(value) < Edge)
        {
            return JsonValue.Create((decimal)value);
        }

        var magnitude = (decimal)(Math.Min(Math.Log10(Math.Abs(value)), 308.3) - Math.Log10(Edge));
        return JsonValue.Create(Math.Sign(value) * (7e28m + (magnitude * 1e24m)));
    }
}
