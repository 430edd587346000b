using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Berth.Releases;

/// <summary>
/// The serializer settings of release fingerprints, apart from the API's and the store's: changing those must never
/// change a fingerprint. camelCase property names, map keys as written, durations in "c" form, enums as camelCase
/// strings, defaults and nulls left out. <see cref="CanonicalJson"/> then fixes key order, escaping and numbers.
/// </summary>
internal static class FingerprintJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.General)
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DictionaryKeyPolicy = null,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            NumberHandling = JsonNumberHandling.Strict,
            WriteIndented = false,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { OmitDefaultValues.Modify } },
        };
        options.Converters.Add(new FingerprintTimeSpanConverter());
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.MakeReadOnly();
        return options;
    }
}
