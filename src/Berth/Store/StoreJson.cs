using System.Text.Json;
using System.Text.Json.Serialization;

namespace Berth.Store;

/// <summary>
/// How the store writes and reads its JSON columns (specs, secrets lists, rollout configs and progress...), apart from
/// the API's settings so that no API change alters what is stored or how old rows read. The same shape as every row
/// written so far: web defaults (camelCase names, case-insensitive reads, numbers also read from strings), enums as
/// camelCase strings, nulls written, the default encoder's escaping.
/// </summary>
internal static class StoreJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            WriteIndented = false,
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
