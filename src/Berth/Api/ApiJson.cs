using System.Runtime.CompilerServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Berth.Api;

/// <summary>
/// JSON settings used on both sides of the API and for the CLI's --json output (camelCase, enums as strings, nulls
/// written), without HTML escaping: <c>8080->80/tcp</c>, <c>it's</c>, <c>a &amp; b</c> as written, since this JSON is never
/// embedded in HTML. Nothing stored or hashed depends on these settings (the store has <c>StoreJson</c>, release
/// fingerprints their own canonical form), so they may change with the API.
/// </summary>
public static class ApiJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            WriteIndented = false,
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        if (RuntimeFeature.IsDynamicCodeSupported)
        {
            // The API's DTOs have no enums (the AOT CLI, without dynamic code, needs no converter); the server's other types may.
            options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        }

        // Reflection where it is enabled (the server: its store and the requests it reads keep reflection's tolerance of
        // missing fields); the generated metadata where it is not (the AOT CLI, which uses it through CliJson anyway).
        options.TypeInfoResolver = JsonSerializer.IsReflectionEnabledByDefault ? new DefaultJsonTypeInfoResolver() : ApiJsonContext.Default;
        options.MakeReadOnly();
        return options;
    }
}
