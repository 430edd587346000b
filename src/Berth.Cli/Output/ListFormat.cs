using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Berth.Cli.Json;
using Berth.Spec;
using Spectre.Console;

namespace Berth.Cli.Output;

/// <summary>
/// A <c>--format</c> template, the subset of Go templates docker users write: <c>{{.Field}}</c> for a column,
/// <c>{{json .}}</c> for the row as one JSON object, <c>\t</c> and <c>\n</c> escapes, and a <c>table</c> prefix that
/// prints a header and aligns the tab-separated cells. Anything else is refused when the template is read.
/// </summary>
public sealed partial class ListFormat
{
    private const string TablePrefix = "table";
    private readonly IReadOnlyList<Segment> _segments;

    private ListFormat(bool isTable, IReadOnlyList<Segment> segments)
    {
        IsTable = isTable;
        _segments = segments;
    }

    /// <summary>True for <c>table ...</c>: a header line, then cells aligned as the plain table is.</summary>
    public bool IsTable { get; }

    /// <summary>Reads a template settings have validated with <see cref="TryParse"/>.</summary>
    public static ListFormat Parse(string template, IReadOnlyList<string> fields) =>
        TryParse(template, fields, out var format, out var problem) ? format! : throw new CliInputException(problem!);

    /// <summary>
    /// The problem with a list verb's output options, or null: --json, --quiet and --format exclude one another, and the
    /// template must parse against <paramref name="fields"/>.
    /// </summary>
    public static string? OptionsProblem(bool json, bool quiet, string? template, IReadOnlyList<string> fields)
    {
        if (new[] { json, quiet, template is not null }.Count(given => given) > 1)
        {
            return "--json, --quiet and --format are alternatives: give one.";
        }

        return template is not null && !TryParse(template, fields, out _, out var problem) ? problem : null;
    }

    /// <summary>Reads <paramref name="template"/> against the valid <paramref name="fields"/>; the problem says what is wrong.</summary>
    public static bool TryParse(string template, IReadOnlyList<string> fields, out ListFormat? format, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(fields);
        format = null;
        problem = null;
        var text = template;
        var isTable = text.StartsWith(TablePrefix, StringComparison.Ordinal)
            && (text.Length == TablePrefix.Length || char.IsWhiteSpace(text[TablePrefix.Length]));
        if (isTable)
        {
            text = text[TablePrefix.Length..].TrimStart();
            if (text.Length == 0)
            {
                // docker's `table` alone: every column.
                text = string.Join(@"\t", fields.Select(f => $"{{{{.{f}}}}}"));
            }
        }

        var segments = new List<Segment>();
        var position = 0;
        foreach (Match action in Action().Matches(text))
        {
            segments.Add(new Literal(Unescape(text[position..action.Index])));
            position = action.Index + action.Length;
            var body = action.Groups["body"].Value.Trim();
            if (body == "json .")
            {
                segments.Add(new Json());
                continue;
            }

            var field = FieldName().Match(body);
            if (!field.Success)
            {
                problem = $"--format: `{action.Value}` is not supported: use {{{{.Field}}}} or {{{{json .}}}} (fields: {List(fields)})";
                return false;
            }

            var name = field.Groups["name"].Value;
            if (!fields.Contains(name, StringComparer.Ordinal))
            {
                var suggestion = fields.FirstOrDefault(f => string.Equals(f, name, StringComparison.OrdinalIgnoreCase)) ?? NearestName.Find(name, fields);
                var hint = suggestion is null ? string.Empty : $" (did you mean `.{suggestion}`?)";
                problem = $"--format: unknown field `.{name}`{hint}; valid fields: {List(fields)}";
                return false;
            }

            segments.Add(new Field(name));
        }

        segments.Add(new Literal(Unescape(text[position..])));
        if (segments.Any(s => s is Literal literal && literal.Text.Contains("{{", StringComparison.Ordinal)))
        {
            problem = $"--format: `{template}` has an unclosed {{{{ (fields: {List(fields)})";
            return false;
        }

        format = new ListFormat(isTable, segments.Where(s => s is not Literal { Text.Length: 0 }).ToList());
        return true;
    }

    /// <summary>Each row through the template, one per line; with <c>table</c>, a header first and the cells aligned.</summary>
    public void Write<T>(IAnsiConsole console, ListTable<T> table, IEnumerable<T> rows)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(table);
        var columns = table.Columns.ToDictionary(c => c.Field, StringComparer.Ordinal);
        var lines = rows.Select(row => Render(segment => segment switch
        {
            Field field => columns[field.Name].Value(row),
            Json => JsonSerializer.Serialize(table.Columns.ToDictionary(c => c.Field, c => c.Value(row)), ConsoleText.CompactJson.Info<Dictionary<string, string>>()),
            _ => string.Empty,
        }));
        if (!IsTable)
        {
            foreach (var line in lines)
            {
                ConsoleText.WriteLine(console, line);
            }

            return;
        }

        var header = Render(segment => segment switch
        {
            Field field => columns[field.Name].Header,
            Json => "JSON",
            _ => string.Empty,
        });
        var cells = new[] { header }.Concat(lines).SelectMany(l => l.Split('\n')).Select(l => (IReadOnlyList<string>)l.Split('\t')).ToList();
        foreach (var line in PlainTable.Lines(cells))
        {
            ConsoleText.WriteLine(console, line);
        }
    }

    private string Render(Func<Segment, string> value)
    {
        var line = new StringBuilder();
        foreach (var segment in _segments)
        {
            line.Append(segment is Literal literal ? literal.Text : value(segment));
        }

        return line.ToString();
    }

    private static string List(IEnumerable<string> fields) => string.Join(", ", fields.Select(f => "." + f));

    private static string Unescape(string text) => text.Replace(@"\t", "\t", StringComparison.Ordinal).Replace(@"\n", "\n", StringComparison.Ordinal);

    [GeneratedRegex(@"\{\{(?<body>.*?)\}\}", RegexOptions.Singleline)]
    private static partial Regex Action();

    [GeneratedRegex(@"^\.(?<name>[A-Za-z_][A-Za-z0-9_]*)$")]
    private static partial Regex FieldName();

    private abstract record Segment;

    private sealed record Literal(string Text) : Segment;

    private sealed record Field(string Name) : Segment;

    private sealed record Json : Segment;
}
