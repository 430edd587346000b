using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Berth.Spec.Loading;
using Json.Schema;

namespace Berth.Spec.Schema;

/// <summary>
/// Turns JsonSchema.Net's evaluation tree into one located, plain-worded finding per problem. Of a failed
/// <c>oneOf</c>, only the alternative whose type fits the value is followed (a mapping where a mapping or a list
/// is allowed is judged as a mapping); when no alternative's type fits, one "must be X or Y" is reported.
/// </summary>
internal sealed partial class SchemaErrorMapper(ComposeSchema schema, SchemaInstance instance)
{
    [GeneratedRegex("Value is \"(\\w+)\" but should be \"([^\"]+)\"")]
    private static partial Regex TypeMessage();

    [GeneratedRegex("\"([^\"]*)\"")]
    private static partial Regex Quoted();

    [GeneratedRegex(@"\((\d+),\s*(\d+)\)")]
    private static partial Regex IndexPair();

    [GeneratedRegex("^[a-zA-Z0-9._-]+$")]
    private static partial Regex ComposeName();

    private readonly List<SchemaFinding> _findings = [];

    public IReadOnlyList<SchemaFinding> Map(EvaluationResults root)
    {
        Walk(root);
        return _findings;
    }

    private void Walk(EvaluationResults node)
    {
        if (node.IsValid)
        {
            return;
        }

        var children = node.Details ?? [];
        var branches = children.Where(IsBranch).ToList();
        if (branches.Count > 0)
        {
            JudgeAlternatives(node, branches);
        }

        ReportOwn(node);
        foreach (var child in children.Where(c => !IsBranch(c)))
        {
            Walk(child);
        }
    }

    private void JudgeAlternatives(EvaluationResults node, List<EvaluationResults> branches)
    {
        var failing = branches.Where(b => !b.IsValid).ToList();
        if (failing.Count < branches.Count)
        {
            // Passing more than one alternative of a oneOf: the schema's alternatives never overlap for compose values.
            return;
        }

        var fitting = failing.Where(b => !FailsTypeAt(b, b.InstanceLocation.ToString())).ToList();
        if (fitting.Count > 0)
        {
            Walk(fitting[0]);
            return;
        }

        var expected = failing.SelectMany(b => ExpectedTypes(b, b.InstanceLocation.ToString())).Distinct().ToList();
        Add(node.InstanceLocation.ToString(), $"must be {Phrase(expected)} (got {Got(node.InstanceLocation.ToString())})");
    }

    private void ReportOwn(EvaluationResults node)
    {
        if (node.Errors is null)
        {
            return;
        }

        var pointer = node.InstanceLocation.ToString();
        foreach (var (keyword, message) in node.Errors)
        {
            switch (keyword)
            {
                case "type":
                    Add(pointer, $"must be {Phrase(ExpectedFrom(message))} (got {Got(pointer)}){QuoteHint(pointer, ExpectedFrom(message))}");
                    break;
                case "required":
                    foreach (Match m in Quoted().Matches(message))
                    {
                        Add(pointer, $"{m.Groups[1].Value} is required by the Compose Specification");
                    }

                    break;
                case "enum":
                    var allowed = SchemaValue(node, "enum") is { ValueKind: JsonValueKind.Array } values
                        ? string.Join(", ", values.EnumerateArray().Select(v => v.ToString()))
                        : "the values the Compose Specification lists";
                    Add(pointer, $"must be one of: {allowed} (got {Got(pointer)})");
                    break;
                case "pattern":
                    Add(pointer, $"must match {SchemaValue(node, "pattern")?.GetString() ?? "the Compose Specification's pattern"} (got {Got(pointer)})");
                    break;
                case "minimum" or "maximum":
                    var bound = SchemaValue(node, keyword)?.ToString() ?? "?";
                    Add(pointer, $"must be {(keyword == "minimum" ? ">=" : "<=")} {bound} (got {Got(pointer)})");
                    break;
                case "uniqueItems":
                    foreach (Match m in IndexPair().Matches(message))
                    {
                        var first = m.Groups[1].Value;
                        Add($"{pointer}/{m.Groups[2].Value}", $"repeats item [{first}]; the Compose Specification wants the items of this list unique");
                    }

                    break;
                case "" or "false" when node.EvaluationPath.ToString().EndsWith("/additionalProperties", StringComparison.Ordinal):
                    var key = pointer[(pointer.LastIndexOf('/') + 1)..].Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
                    Add(pointer, ComposeName().IsMatch(key)
                        ? $"`{key}` is not allowed here by the Compose Specification"
                        : $"`{key}` is not a valid name: the Compose Specification allows letters, digits, '.', '_' and '-'");
                    break;
                default:
                    Add(pointer, $"does not follow the Compose Specification ({keyword}: {message})");
                    break;
            }
        }
    }

    private void Add(string pointer, string message)
    {
        // Locate at the value, or at its key when the key is the problem (a key that is not allowed).
        var source = instance.SourceOf(pointer);
        while (source is null && pointer.Length > 0)
        {
            pointer = pointer[..pointer.LastIndexOf('/')];
            source = instance.SourceOf(pointer);
        }

        if (source is null)
        {
            return;
        }

        var mark = message.StartsWith('`') && source.Key is { } key ? key.Mark : source.Node.Mark;
        _findings.Add(new SchemaFinding(DiagnosticSeverity.Error, mark, source.KeyPath, message));
    }

    private JsonElement? SchemaValue(EvaluationResults node, string keyword) =>
        schema.At(node.SchemaLocation) is { ValueKind: JsonValueKind.Object } s && s.TryGetProperty(keyword, out var value) ? value : null;

    private static bool IsBranch(EvaluationResults result)
    {
        var path = result.EvaluationPath.ToString();
        var slash = path.LastIndexOf('/');
        if (slash <= 0 || !int.TryParse(path.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            return false;
        }

        return path.AsSpan(0, slash).EndsWith("/oneOf", StringComparison.Ordinal) || path.AsSpan(0, slash).EndsWith("/anyOf", StringComparison.Ordinal);
    }

    /// <summary>True when the alternative refuses the value's type itself (not something inside it).</summary>
    private static bool FailsTypeAt(EvaluationResults result, string pointer) => ExpectedTypes(result, pointer).Any();

    private static IEnumerable<string> ExpectedTypes(EvaluationResults result, string pointer)
    {
        if (result.IsValid || result.InstanceLocation.ToString() != pointer)
        {
            yield break;
        }

        if (result.Errors is not null && result.Errors.TryGetValue("type", out var message))
        {
            foreach (var type in ExpectedFrom(message))
            {
                yield return type;
            }
        }

        foreach (var child in result.Details ?? [])
        {
            foreach (var type in ExpectedTypes(child, pointer))
            {
                yield return type;
            }
        }
    }

    private static List<string> ExpectedFrom(string message) =>
        TypeMessage().Match(message) is { Success: true } m
            ? m.Groups[2].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList()
            : [];

    private static string Phrase(List<string> types)
    {
        var words = types.Select(t => t switch
        {
            "string" => "a string",
            "integer" => "an integer",
            "number" => "a number",
            "boolean" => "true or false",
            "object" => "a mapping",
            "array" => "a list",
            "null" => "null",
            _ => t,
        }).Distinct().ToList();
        return words.Count switch
        {
            0 => "of another type",
            1 => words[0],
            _ => string.Join(", ", words[..^1]) + " or " + words[^1],
        };
    }

    private string Got(string pointer) => instance.SourceOf(pointer)?.Node switch
    {
        null => "another value",
        ScalarNode { Plain: true, Value: not null } s when YamlScalarType.ToJson(s)?.GetValueKind() is JsonValueKind.Number => $"the number {s.Value}",
        ScalarNode { Plain: true, Value: not null } s when YamlScalarType.ToJson(s)?.GetValueKind() is JsonValueKind.True or JsonValueKind.False => $"the boolean {s.Value}",
        { } node => NodeReader.Describe(node),
    };

    /// <summary>A plain 8080 or true where only a string is allowed: quoting it is the fix.</summary>
    private string QuoteHint(string pointer, List<string> expected) =>
        expected is ["string"] && instance.SourceOf(pointer)?.Node is ScalarNode { Plain: true, Value: not null }
            ? "; quote it to make it a string"
            : "";
}
