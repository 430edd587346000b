using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Berth.Api;

namespace Berth.Cli.Json;

/// <summary>
/// The CLI's JSON settings: <see cref="ApiJson.Options"/> resolved through generated metadata only
/// (<see cref="ApiJsonContext"/> and <see cref="CliJsonContext"/>), never reflection, so the JIT-compiled CLI in the
/// tests fails on a type the ahead-of-time compiled one could not handle.
/// </summary>
public static class CliJson
{
    /// <summary>Generated metadata of the API's DTOs and of the CLI's own documents (first: the options below use it).</summary>
    public static IJsonTypeInfoResolver Resolver { get; } = JsonTypeInfoResolver.Combine(ApiJsonContext.Default, CliJsonContext.Default);

    /// <summary>The API's wire format (requests and answers).</summary>
    public static JsonSerializerOptions Api { get; } = GeneratedOnly(new JsonSerializerOptions(ApiJson.Options));

    /// <summary>Sets <paramref name="options"/> to resolve through <see cref="Resolver"/> alone, and freezes it.</summary>
    public static JsonSerializerOptions GeneratedOnly(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.TypeInfoResolver = Resolver;
        options.MakeReadOnly();
        return options;
    }

    /// <summary>The metadata of <typeparamref name="T"/> under <paramref name="options"/> (throws for a type no context has).</summary>
    public static JsonTypeInfo<T> Info<T>(this JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
    }
}
