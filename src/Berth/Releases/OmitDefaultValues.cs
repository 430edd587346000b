using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Berth.Releases;

/// <summary>
/// Leaves out of a fingerprint every property whose value is its record's own default (what <c>new T()</c> holds:
/// null, an empty list or map, <c>Replicas = 1</c>, <c>StopGracePeriod = 10s</c>...), compared in canonical form. A
/// spec record gaining an optional property, with a default, thus keeps the fingerprint of every spec that does not
/// set it.
/// </summary>
internal static class OmitDefaultValues
{
    public static void Modify(JsonTypeInfo typeInfo)
    {
        // Only records that can be made blank have defaults to compare with; the others keep the options' rule (no nulls).
        if (typeInfo.Kind != JsonTypeInfoKind.Object || typeInfo.Type.GetConstructor(Type.EmptyTypes) is null)
        {
            return;
        }

        var blank = Activator.CreateInstance(typeInfo.Type)!;
        foreach (var property in typeInfo.Properties)
        {
            if (property.Get is not { } get)
            {
                continue;
            }

            var fallback = get(blank);
            var type = property.PropertyType;
            var options = typeInfo.Options;
            var fallbackText = new Lazy<string?>(() => fallback is null ? null : Canonical(fallback, type, options));
            property.ShouldSerialize = (_, value) =>
                value is null ? fallback is not null : fallback is null || Canonical(value, type, options) != fallbackText.Value;
        }
    }

    private static string Canonical(object value, Type type, JsonSerializerOptions options) =>
        CanonicalJson.Write(JsonSerializer.SerializeToElement(value, type, options));
}
