using System.Text.Json;
using Json.Schema;

namespace Berth.Spec.Schema;

/// <summary>The Compose Specification's JSON schema (vendored, see SOURCE.md), compiled once and shared by every load.</summary>
internal sealed class ComposeSchema
{
    private const string ResourceName = "Berth.Spec.Schema.compose-spec.json";

    // The published file names its dialect "https://json-schema.org/draft-07/schema" (no trailing '#'),
    // which JsonSchema.Net does not know by that name: register draft 7 under it.
    private static readonly Uri DeclaredDialect = new("https://json-schema.org/draft-07/schema");
    private static readonly Uri BaseUri = new("https://berth.invalid/compose-spec.json");

    private static readonly Lazy<ComposeSchema> Shared = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    private ComposeSchema(JsonSchema schema, JsonDocument text)
    {
        Schema = schema;
        Text = text;
    }

    public static ComposeSchema Instance => Shared.Value;

    public JsonSchema Schema { get; }

    /// <summary>The schema as JSON, to read the allowed values of a failed <c>enum</c>, <c>pattern</c> or bound.</summary>
    public JsonDocument Text { get; }

    public EvaluationResults Evaluate(JsonElement instance)
    {
        var options = new EvaluationOptions { OutputFormat = OutputFormat.Hierarchical };
        options.IgnoreAllAnnotations();
        return Schema.Evaluate(instance, options);
    }

    /// <summary>The schema object at a schema location such as <c>…compose-spec.json#/definitions/service/properties/cgroup</c>.</summary>
    public JsonElement? At(Uri schemaLocation)
    {
        var fragment = Uri.UnescapeDataString(schemaLocation.Fragment.TrimStart('#'));
        var current = Text.RootElement;
        foreach (var raw in fragment.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var segment = raw.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            if (current.ValueKind == JsonValueKind.Object && current.TryGetProperty(segment, out var next))
            {
                current = next;
            }
            else if (current.ValueKind == JsonValueKind.Array && int.TryParse(segment, out var index) && index < current.GetArrayLength())
            {
                current = current[index];
            }
            else
            {
                return null;
            }
        }

        return current;
    }

    private static ComposeSchema Load()
    {
        using var stream = typeof(ComposeSchema).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded resource {ResourceName} is missing");
        using var reader = new StreamReader(stream);
        var text = reader.ReadToEnd();
        var dialects = new DialectRegistry();
        dialects.Register(Dialect.Draft07.With([], DeclaredDialect));
        var schema = JsonSchema.FromText(text, new BuildOptions { DialectRegistry = dialects }, BaseUri);
        return new ComposeSchema(schema, JsonDocument.Parse(text));
    }
}
