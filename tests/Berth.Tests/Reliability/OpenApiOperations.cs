using System.Text;
using System.Text.Json;

namespace Berth.Tests.Reliability;

/// <summary>
/// The operations of the server's OpenAPI document (<c>GET /api/v1/openapi.json</c>), and request bodies shaped by their
/// schemas: the fuzzer's map of the API, read from what the server publishes.
/// </summary>
internal sealed class OpenApiOperations
{
    private readonly JsonElement _schemas;

    private OpenApiOperations(JsonDocument document, IReadOnlyList<Operation> operations)
    {
        Document = document;
        Operations = operations;
        _schemas = document.RootElement.TryGetProperty("components", out var components) && components.TryGetProperty("schemas", out var schemas)
            ? schemas
            : default;
    }

    public sealed record Operation(string Method, string Path, JsonElement? RequestSchema)
    {
        public override string ToString() => $"{Method} {Path}";
    }

    public JsonDocument Document { get; }

    public IReadOnlyList<Operation> Operations { get; }

    public static OpenApiOperations Parse(string json)
    {
        var document = JsonDocument.Parse(json);
        var operations = new List<Operation>();
        foreach (var path in document.RootElement.GetProperty("paths").EnumerateObject())
        {
            foreach (var method in path.Value.EnumerateObject().Where(m => m.Name is "get" or "put" or "post" or "delete" or "patch"))
            {
                JsonElement? schema = method.Value.TryGetProperty("requestBody", out var body)
                    && body.TryGetProperty("content", out var content)
                    && content.TryGetProperty("application/json", out var media)
                    && media.TryGetProperty("schema", out var s) ? s : null;
                operations.Add(new Operation(method.Name.ToUpperInvariant(), path.Name, schema));
            }
        }

        return new OpenApiOperations(document, operations);
    }

    /// <summary>A JSON value of the schema's shape with random, boundary-biased contents from <paramref name="scalar"/> and <paramref name="number"/>.</summary>
    public string ValueOf(JsonElement schema, Random random, Func<string> scalar, Func<string> number, int depth = 0)
    {
        var builder = new StringBuilder();
        Write(builder, schema, random, scalar, number, depth);
        return builder.ToString();
    }

    private void Write(StringBuilder json, JsonElement schema, Random random, Func<string> scalar, Func<string> number, int depth)
    {
        if (schema.TryGetProperty("$ref", out var reference))
        {
            var name = reference.GetString()!.Split('/')[^1];
            if (depth > 5 || _schemas.ValueKind != JsonValueKind.Object || !_schemas.TryGetProperty(name, out var target))
            {
                json.Append("null");
                return;
            }

            Write(json, target, random, scalar, number, depth + 1);
            return;
        }

        if (schema.TryGetProperty("oneOf", out var oneOf) || schema.TryGetProperty("anyOf", out oneOf))
        {
            var choices = oneOf.EnumerateArray().ToList();
            Write(json, choices[random.Next(choices.Count)], random, scalar, number, depth);
            return;
        }

        var type = schema.TryGetProperty("type", out var t)
            ? t.ValueKind == JsonValueKind.Array ? t.EnumerateArray().Select(x => x.GetString()).ToList()[random.Next(t.GetArrayLength())] : t.GetString()
            : "object";
        switch (type)
        {
            case "null":
                json.Append("null");
                break;
            case "boolean":
                json.Append(random.Next(2) == 0 ? "true" : "false");
                break;
            case "integer" or "number":
                json.Append(number());
                break;
            case "string":
                json.Append(JsonSerializer.Serialize(scalar()));
                break;
            case "array":
                json.Append('[');
                var items = depth > 4 ? 0 : random.Next(3);
                for (var i = 0; i < items; i++)
                {
                    if (i > 0)
                    {
                        json.Append(',');
                    }

                    if (schema.TryGetProperty("items", out var item))
                    {
                        Write(json, item, random, scalar, number, depth + 1);
                    }
                    else
                    {
                        json.Append(number());
                    }
                }

                json.Append(']');
                break;
            default:
                json.Append('{');
                var first = true;
                if (schema.TryGetProperty("properties", out var properties))
                {
                    foreach (var property in properties.EnumerateObject().Where(_ => random.Next(5) > 0))
                    {
                        json.Append(first ? "" : ",").Append(JsonSerializer.Serialize(property.Name)).Append(':');
                        Write(json, property.Value, random, scalar, number, depth + 1);
                        first = false;
                    }
                }

                if (schema.TryGetProperty("additionalProperties", out var additional) && additional.ValueKind == JsonValueKind.Object && depth <= 4)
                {
                    for (var i = random.Next(3); i > 0; i--)
                    {
                        json.Append(first ? "" : ",").Append(JsonSerializer.Serialize(scalar())).Append(':');
                        Write(json, additional, random, scalar, number, depth + 1);
                        first = false;
                    }
                }

                json.Append('}');
                break;
        }
    }
}
