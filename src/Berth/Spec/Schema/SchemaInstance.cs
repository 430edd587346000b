using System.Text.Json;
using Berth.Spec.Loading;

namespace Berth.Spec.Schema;

/// <summary>Where a value of the JSON instance came from: its node, the key that names it, its key path.</summary>
internal sealed record InstanceSource(ComposeNode Node, ScalarNode? Key, string KeyPath);

/// <summary>
/// One compose file as the JSON instance the Compose schema is checked against (values typed as compose's YAML
/// parser and interpolation casts would type them, <c>!reset</c> values left out), with the source of every
/// value by JSON pointer so schema errors can be reported at file:line:column.
/// </summary>
internal sealed class SchemaInstance
{
    private readonly Dictionary<string, InstanceSource> _sources;

    private SchemaInstance(JsonElement root, Dictionary<string, InstanceSource> sources, IReadOnlyList<SchemaFinding> castProblems)
    {
        Root = root;
        _sources = sources;
        CastProblems = castProblems;
    }

    public JsonElement Root { get; }

    /// <summary>Strings at compose-go's cast paths that spell no number or boolean (errors), and YAML 1.1 booleans (warnings).</summary>
    public IReadOnlyList<SchemaFinding> CastProblems { get; }

    /// <summary>The source of the value at <paramref name="pointer"/> (e.g. <c>/services/app/ports/0</c>), if any.</summary>
    public InstanceSource? SourceOf(string pointer) => _sources.GetValueOrDefault(pointer);

    public static SchemaInstance From(MappingNode root)
    {
        var sources = new Dictionary<string, InstanceSource>(StringComparer.Ordinal);
        var problems = new List<SchemaFinding>();
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            var path = new List<string>();
            Write(writer, root, null, "", "", path, sources, problems);
        }

        using var document = JsonDocument.Parse(stream.ToArray());
        return new SchemaInstance(document.RootElement.Clone(), sources, problems);
    }

    private static void Write(
        Utf8JsonWriter writer, ComposeNode node, ScalarNode? key, string pointer, string keyPath, List<string> path,
        Dictionary<string, InstanceSource> sources, List<SchemaFinding> problems)
    {
        sources[pointer] = new InstanceSource(node, key, keyPath);
        switch (node)
        {
            case ScalarNode scalar:
                WriteScalar(writer, scalar, keyPath, path, problems);
                break;
            case SequenceNode list:
                writer.WriteStartArray();
                for (var i = 0; i < list.Items.Count; i++)
                {
                    path.Add(i.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    Write(writer, list.Items[i], null, $"{pointer}/{i}", KeyPath.Index(keyPath, i), path, sources, problems);
                    path.RemoveAt(path.Count - 1);
                }

                writer.WriteEndArray();
                break;
            case MappingNode map:
                writer.WriteStartObject();
                foreach (var (k, v) in map.Entries)
                {
                    // compose-go drops !reset values while reading each file, before the schema sees it.
                    if (v.Tag == "!reset")
                    {
                        continue;
                    }

                    var name = k.Value!;
                    writer.WritePropertyName(name);
                    path.Add(name);
                    Write(writer, v, k, $"{pointer}/{Escape(name)}", KeyPath.Join(keyPath, name), path, sources, problems);
                    path.RemoveAt(path.Count - 1);
                }

                writer.WriteEndObject();
                break;
        }
    }

    private static void WriteScalar(Utf8JsonWriter writer, ScalarNode scalar, string keyPath, List<string> path, List<SchemaFinding> problems)
    {
        var value = YamlScalarType.ToJson(scalar);
        if (value is System.Text.Json.Nodes.JsonValue v && v.GetValueKind() == JsonValueKind.String
            && InterpolationCast.TryCast(path, scalar.Value!) is { } cast)
        {
            if (cast.Error is not null)
            {
                problems.Add(new SchemaFinding(DiagnosticSeverity.Error, scalar.Mark, keyPath, cast.Error));
            }
            else
            {
                value = cast.Value;
                if (cast.Warning is not null)
                {
                    problems.Add(new SchemaFinding(DiagnosticSeverity.Warning, scalar.Mark, keyPath, cast.Warning));
                }
            }
        }

        if (value is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            value.WriteTo(writer);
        }
    }

    /// <summary>JSON pointer escaping (RFC 6901): <c>~</c> is <c>~0</c>, <c>/</c> is <c>~1</c>.</summary>
    public static string Escape(string name) =>
        name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
}
