using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Berth.Releases;

/// <summary>A duration in a fingerprint: TimeSpan's invariant constant ("c") form, e.g. 00:00:01.5000000, 1.00:00:00.</summary>
internal sealed class FingerprintTimeSpanConverter : JsonConverter<TimeSpan>
{
    public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        TimeSpan.ParseExact(reader.GetString() ?? throw new JsonException("a duration must be a string"), "c", CultureInfo.InvariantCulture);

    public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString("c", CultureInfo.InvariantCulture));
}
