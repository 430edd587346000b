using System.Text;

namespace Berth.Spec.Loading;

/// <summary>
/// Parses env files (<c>.env</c>, <c>env_file</c>): <c>KEY=VAL</c>, <c>export KEY=VAL</c>, <c>#</c> comments, blank lines,
/// 'single' (literal) and "double" (escapes) quoted values, and <c> # comment</c> after an unquoted value.
/// A bare <c>KEY</c> yields a null value (meaning: take it from the environment).
/// </summary>
internal static class EnvFileReader
{
    /// <summary>One variable, with the 1-based line it was on; <paramref name="Literal"/> for a 'single-quoted' value.</summary>
    public sealed record Entry(string Key, string? Value, int Line, bool Literal = false);

    /// <summary>One malformed line.</summary>
    public sealed record Problem(int Line, int Column, string Message);

    /// <summary>
    /// Parses and interpolates: unquoted and double-quoted values may use <c>${VAR}</c>, looked up among the
    /// entries above, then in <paramref name="outer"/>; 'single-quoted' values are literal.
    /// </summary>
    public static (IReadOnlyList<Entry> Entries, IReadOnlyList<Problem> Problems) ParseAndInterpolate(string text, Func<string, string?> outer)
    {
        var (entries, problems) = Parse(text);
        var resolved = new Dictionary<string, string>(StringComparer.Ordinal);
        var interpolator = new Interpolator(name => resolved.TryGetValue(name, out var v) ? v : outer(name));
        var result = new List<Entry>(entries.Count);
        var allProblems = problems.ToList();
        foreach (var entry in entries)
        {
            var value = entry.Value;
            if (value is not null && !entry.Literal)
            {
                var interpolated = interpolator.Interpolate(value);
                if (interpolated.Error is not null)
                {
                    allProblems.Add(new Problem(entry.Line, 1, interpolated.Error));
                    continue;
                }

                value = interpolated.Value;
            }

            if (value is not null)
            {
                resolved[entry.Key] = value;
            }

            result.Add(entry with { Value = value });
        }

        return (result, allProblems.OrderBy(p => p.Line).ToList());
    }

    public static (IReadOnlyList<Entry> Entries, IReadOnlyList<Problem> Problems) Parse(string text)
    {
        var entries = new List<Entry>();
        var problems = new List<Problem>();
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var n = 0; n < lines.Length; n++)
        {
            var line = lines[n].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            if (line.StartsWith("export ", StringComparison.Ordinal) || line.StartsWith("export\t", StringComparison.Ordinal))
            {
                line = line[7..].TrimStart();
            }

            var eq = line.IndexOf('=', StringComparison.Ordinal);
            var key = (eq < 0 ? line : line[..eq]).Trim();
            if (!IsValidKey(key))
            {
                problems.Add(new Problem(n + 1, 1, $"invalid variable name \"{key}\": use letters, digits and _ (KEY=VALUE)"));
                continue;
            }

            if (eq < 0)
            {
                entries.Add(new Entry(key, null, n + 1));
                continue;
            }

            var value = ParseValue(line[(eq + 1)..].TrimStart(), out var problem);
            if (problem is not null)
            {
                problems.Add(new Problem(n + 1, eq + 2, problem));
                continue;
            }

            entries.Add(new Entry(key, value, n + 1, Literal: line[(eq + 1)..].TrimStart().StartsWith('\'')));
        }

        return (entries, problems);
    }

    private static bool IsValidKey(string key) =>
        key.Length > 0 && (char.IsAsciiLetter(key[0]) || key[0] == '_') && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-');

    private static string ParseValue(string raw, out string? problem)
    {
        problem = null;
        if (raw.Length > 0 && raw[0] == '\'')
        {
            var close = raw.IndexOf('\'', 1);
            if (close < 0)
            {
                problem = "unterminated single-quoted value";
                return "";
            }

            return raw[1..close];
        }

        if (raw.Length > 0 && raw[0] == '"')
        {
            var sb = new StringBuilder();
            for (var i = 1; i < raw.Length; i++)
            {
                var c = raw[i];
                if (c == '"')
                {
                    return sb.ToString();
                }

                if (c == '\\' && i + 1 < raw.Length)
                {
                    i++;
                    sb.Append(raw[i] switch
                    {
                        'n' => '\n',
                        'r' => '\r',
                        't' => '\t',
                        var other => other,
                    });
                    continue;
                }

                sb.Append(c);
            }

            problem = "unterminated double-quoted value";
            return "";
        }

        // Unquoted: an inline comment starts at " #".
        var comment = raw.IndexOf(" #", StringComparison.Ordinal);
        var tab = raw.IndexOf("\t#", StringComparison.Ordinal);
        if (tab >= 0 && (comment < 0 || tab < comment))
        {
            comment = tab;
        }

        return (comment >= 0 ? raw[..comment] : raw).Trim();
    }
}
