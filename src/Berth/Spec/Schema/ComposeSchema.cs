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

    // Compiling the schema and the first evaluation cost ~200 ms of a cold process (JIT of JsonSchema.Net); done on a
    // pool thread, started when a load starts, it overlaps with reading and parsing the files.
    private static readonly Lazy<Task<ComposeSchema>> Shared = new(() => Task.Run(LoadAndWarm), LazyThreadSafetyMode.ExecutionAndPublication);

    private ComposeSchema(JsonSchema schema, JsonDocument text)
    {
        Schema = schema;
        Text = text;
    }

    /// <summary>The schema, compiled on first use (blocks until it is).</summary>
    public static ComposeSchema Instance => Shared.Value.GetAwaiter().GetResult();

    /// <summary>The schema, compiled in the background from the first call on.</summary>
    public static Task<ComposeSchema> LoadAsync() => Shared.Value;

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

    private static ComposeSchema LoadAndWarm()
    {
        var schema = Load();

        // One evaluation of a typical file JITs the evaluator while the caller is still parsing YAML.
        using var sample = JsonDocument.Parse("""{"services":{"app":{"image":"x","ports":["80:80",{"target":1}],"environment":{"A":"1"},"deploy":{"replicas":1}}}}""");
        schema.Evaluate(sample.RootElement);
        return schema;
    }

    private static ComposeSchema Load()
    {
        JsonSchemaStartup.EnsureInitialized();
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
