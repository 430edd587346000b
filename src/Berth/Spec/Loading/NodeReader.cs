using System.Globalization;

namespace Berth.Spec.Loading;

/// <summary>Typed reads of compose nodes; every mismatch becomes an error saying what would be valid.</summary>
internal sealed class NodeReader(DiagnosticBag diagnostics, IReadOnlyDictionary<string, string> variables, string projectDirectory)
{
    public DiagnosticBag Diagnostics { get; } = diagnostics;

    public IReadOnlyDictionary<string, string> Variables { get; } = variables;

    /// <summary>Folder relative paths are resolved against (the first compose file's folder, as docker compose does).</summary>
    public string ProjectDirectory { get; } = projectDirectory;

    /// <summary>An absolute path for <paramref name="path"/>, or null (reported) when it is not a valid path.</summary>
    public string? ResolvePath(string path, ComposeNode node, string keyPath)
    {
        try
        {
            return Path.GetFullPath(Path.Combine(ProjectDirectory, path));
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            Diagnostics.Error(node, keyPath, $"is not a valid path (got \"{path}\"): {ex.Message}");
            return null;
        }
    }

    public MappingNode? Mapping(ComposeNode node, string path)
    {
        if (node is MappingNode m)
        {
            return m;
        }

        Diagnostics.Error(node, path, $"must be a mapping (got {Describe(node)})");
        return null;
    }

    /// <summary>A mapping checked against a section of <see cref="KnownKeys"/>.</summary>
    public MappingNode? Section(ComposeNode node, string path, KeySection section)
    {
        var m = Mapping(node, path);
        if (m is not null)
        {
            KeyChecker.Check(m, path, section, Diagnostics);
        }

        return m;
    }

    /// <summary>A scalar as text (numbers and booleans too); null for YAML null or a wrong kind (reported).</summary>
    public string? String(ComposeNode node, string path)
    {
        if (node is ScalarNode s)
        {
            return s.Value;
        }

        Diagnostics.Error(node, path, $"must be a string (got {Describe(node)})");
        return null;
    }

    public int? Int(ComposeNode node, string path, int min = int.MinValue, int max = int.MaxValue)
    {
        var text = String(node, path);
        if (text is null)
        {
            return null;
        }

        if (!long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            Diagnostics.Error(node, path, $"must be an integer (got \"{text}\")");
            return null;
        }

        return InRange(node, path, value, min, max) ? (int)value : null;
    }

    public double? Double(ComposeNode node, string path, double min, double max, bool minExclusive = false)
    {
        var text = String(node, path);
        if (text is null)
        {
            return null;
        }

        if (!double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            Diagnostics.Error(node, path, $"must be a number (got \"{text}\")");
            return null;
        }

        if (minExclusive ? value <= min : value < min)
        {
            Diagnostics.Error(node, path, $"must be {(minExclusive ? ">" : ">=")} {Format(min)} (got {text})");
            return null;
        }

        if (value > max)
        {
            Diagnostics.Error(node, path, $"must be <= {Format(max)} (got {text})");
            return null;
        }

        return value;
    }

    public bool? Bool(ComposeNode node, string path)
    {
        var text = String(node, path);
        if (text is null)
        {
            return null;
        }

        if (bool.TryParse(text, out var value))
        {
            return value;
        }

        Diagnostics.Error(node, path, $"must be true or false (got \"{text}\")");
        return null;
    }

    public TimeSpan? Duration(ComposeNode node, string path)
    {
        var text = String(node, path);
        if (text is null)
        {
            return null;
        }

        if (DurationCodec.TryParse(text, DurationSyntax.Compose, out var value))
        {
            return value;
        }

        Diagnostics.Error(node, path, $"must be a duration like {DurationCodec.ComposeExamples} (got \"{text}\")");
        return null;
    }

    public string? OneOf(ComposeNode node, string path, params string[] allowed)
    {
        var text = String(node, path);
        if (text is null || allowed.Contains(text, StringComparer.Ordinal))
        {
            return text;
        }

        Diagnostics.Error(node, path, $"must be one of: {string.Join(", ", allowed)} (got \"{text}\")");
        return null;
    }

    /// <summary>A list of strings; with <paramref name="acceptString"/> a single string is a one-item list.</summary>
    public List<string>? StringList(ComposeNode node, string path, bool acceptString = false)
    {
        if (acceptString && node is ScalarNode { Value: not null } single)
        {
            return [single.Value];
        }

        if (node is not SequenceNode list)
        {
            Diagnostics.Error(node, path, acceptString ? $"must be a string or a list of strings (got {Describe(node)})" : $"must be a list of strings (got {Describe(node)})");
            return null;
        }

        var result = new List<string>();
        for (var i = 0; i < list.Items.Count; i++)
        {
            var item = String(list.Items[i], KeyPath.Index(path, i));
            if (item is not null)
            {
                result.Add(item);
            }
        }

        return result;
    }

    /// <summary>A map of strings, from a mapping or a list of <c>KEY=VAL</c>; bare keys get <paramref name="bareValue"/>.</summary>
    public Dictionary<string, string?>? StringMap(ComposeNode node, string path, Func<string, string?> bareValue)
    {
        var canonical = ComposeCanonicalizer.ListToMap(node, bareValue: null);
        if (canonical is not MappingNode map)
        {
            Diagnostics.Error(node, path, $"must be a mapping or a list of KEY=VALUE strings (got {Describe(node)})");
            return null;
        }

        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (key, value) in map.Entries)
        {
            var text = String(value, KeyPath.Join(path, key.Value!));
            result[key.Value!] = text ?? (value is ScalarNode ? bareValue(key.Value!) : null);
        }

        return result;
    }

    public static string Describe(ComposeNode node) => node switch
    {
        ScalarNode { Value: null } => "null",
        ScalarNode s => $"\"{s.Value}\"",
        _ => node.KindName,
    };

    private bool InRange(ComposeNode node, string path, long value, long min, long max)
    {
        if (value < min && max == int.MaxValue)
        {
            Diagnostics.Error(node, path, $"must be >= {min} (got {value})");
            return false;
        }

        if (value < min || value > max)
        {
            Diagnostics.Error(node, path, max == int.MaxValue ? $"must be >= {min} (got {value})" : $"must be between {min} and {max} (got {value})");
            return false;
        }

        return true;
    }

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);
}
