using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Berth.Releases;

/// <summary>
/// Writes JSON in one canonical form, so equal values always give equal text: object keys sorted (ordinal, UTF-16
/// code units), no whitespace, strings escaping only what JSON requires (quote, backslash, control characters; all
/// else as is), integers as integers and other numbers in .NET's shortest round-trip form. Owned here, never by an
/// encoder or a serializer setting that another release of .NET or another part of Berth could change.
/// </summary>
internal static class CanonicalJson
{
    public static string Write(JsonElement element)
    {
        var text = new StringBuilder();
        Write(text, element);
        return text.ToString();
    }

    private static void Write(StringBuilder text, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                text.Append('{');
                var firstProperty = true;
                foreach (var property in element.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    text.Append(firstProperty ? "" : ",");
                    firstProperty = false;
                    WriteString(text, property.Name);
                    text.Append(':');
                    Write(text, property.Value);
                }

                text.Append('}');
                break;
            case JsonValueKind.Array:
                text.Append('[');
                var firstItem = true;
                foreach (var item in element.EnumerateArray())
                {
                    text.Append(firstItem ? "" : ",");
                    firstItem = false;
                    Write(text, item);
                }

                text.Append(']');
                break;
            case JsonValueKind.String:
                WriteString(text, element.GetString()!);
                break;
            case JsonValueKind.Number:
                WriteNumber(text, element);
                break;
            case JsonValueKind.True:
                text.Append("true");
                break;
            case JsonValueKind.False:
                text.Append("false");
                break;
            case JsonValueKind.Null:
                text.Append("null");
                break;
            default:
                throw new ArgumentException($"no canonical form for a JSON {element.ValueKind}", nameof(element));
        }
    }

    /// <summary>1, 1.0 and 1e0 are the same number: an integer is written as one, anything else as a double ("R").</summary>
    private static void WriteNumber(StringBuilder text, JsonElement number)
    {
        if (number.TryGetInt64(out var integer))
        {
            text.Append(integer.ToString(CultureInfo.InvariantCulture));
        }
        else if (number.TryGetDouble(out var real) && double.IsFinite(real))
        {
            text.Append(real == Math.Floor(real) && Math.Abs(real) < 1e15
                ? ((long)real).ToString(CultureInfo.InvariantCulture)
                : real.ToString("R", CultureInfo.InvariantCulture));
        }
        else
        {
            text.Append(number.GetRawText());
        }
    }

    private static void WriteString(StringBuilder text, string value)
    {
        text.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"':
                    text.Append("\\\"");
                    break;
                case '\\':
                    text.Append("\\\\");
                    break;
                case '\b':
                    text.Append("\\b");
                    break;
                case '\f':
                    text.Append("\\f");
                    break;
                case '\n':
                    text.Append("\\n");
                    break;
                case '\r':
                    text.Append("\\r");
                    break;
                case '\t':
                    text.Append("\\t");
                    break;
                case < ' ':
                    text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default:
                    text.Append(c);
                    break;
            }
        }

        text.Append('"');
    }
}
