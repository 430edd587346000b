using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Berth.Api;

/// <summary>JSON settings used on both sides of the API (camelCase, enums as strings).</summary>
public static class ApiJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            WriteIndented = false,
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
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
