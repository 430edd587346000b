using System.Globalization;
using System.Text.Json;

namespace Berth.Spec.Loading;

/// <summary>Turns an <c>x-*</c> extension node into a <see cref="JsonElement"/> (plain scalars typed as YAML would).</summary>
internal static class ExtensionJson
{
    public static JsonElement ToJson(ComposeNode node)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            Write(writer, node);
        }

        using var document = JsonDocument.Parse(stream.ToArray());
        return document.RootElement.Clone();
    }

    private static void Write(Utf8JsonWriter writer, ComposeNode node)
    {
        switch (node)
        {
            case ScalarNode { Value: null }:
                writer.WriteNullValue();
                break;
            case ScalarNode { Plain: true, Value: "true" or "True" or "TRUE" }:
                writer.WriteBooleanValue(true);
                break;
            case ScalarNode { Plain: true, Value: "false" or "False" or "FALSE" }:
                writer.WriteBooleanValue(false);
                break;
            case ScalarNode { Plain: true } s when long.TryParse(s.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l):
                writer.WriteNumberValue(l);
                break;
            case ScalarNode { Plain: true } s when double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d):
                writer.WriteNumberValue(d);
                break;
            case ScalarNode s:
                writer.WriteStringValue(s.Value);
                break;
            case SequenceNode list:
                writer.WriteStartArray();
                foreach (var item in list.Items)
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            case MappingNode map:
                writer.WriteStartObject();
                foreach (var (key, value) in map.Entries)
                {
                    writer.WritePropertyName(key.Value!);
                    Write(writer, value);
                }

                writer.WriteEndObject();
                break;
        }
    }
}
