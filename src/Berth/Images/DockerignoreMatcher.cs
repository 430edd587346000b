using System.Text;
using System.Text.RegularExpressions;

namespace Berth.Images;

/// <summary>
/// The rules of a <c>.dockerignore</c> file, matched against paths relative to the build context ('/'-separated).
/// Supported, as Docker does: one pattern per line, <c>#</c> comments, blank lines, <c>*</c> (any run of characters
/// except '/'), <c>?</c> (one character except '/'), <c>**</c> (any number of directories), a leading '/' or './' and a
/// trailing '/' ignored, <c>!</c> re-includes, the last matching line wins, and a pattern matching a directory excludes
/// everything under it. Not supported: character classes (<c>[a-z]</c>) and '\' escapes (matched literally).
/// </summary>
public sealed class DockerignoreMatcher
{
    private readonly IReadOnlyList<(Regex Pattern, bool Exclude)> _rules;

    private DockerignoreMatcher(IReadOnlyList<(Regex Pattern, bool Exclude)> rules)
    {
        _rules = rules;
    }

    /// <summary>True when some line starts with '!': excluded directories must then be searched for re-included files.</summary>
    public bool HasReincludes => _rules.Any(r => !r.Exclude);

    /// <summary>A matcher that excludes nothing.</summary>
    public static DockerignoreMatcher None { get; } = new([]);

    /// <summary>Parses the text of a .dockerignore file.</summary>
    public static DockerignoreMatcher Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var rules = new List<(Regex, bool)>();
        foreach (var raw in text.ReplaceLineEndings("\n").Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var exclude = true;
            if (line.StartsWith('!'))
            {
                exclude = false;
                line = line[1..].Trim();
            }

            line = Clean(line);
            if (line.Length > 0)
            {
                rules.Add((ToRegex(line), exclude));
            }
        }

        return new DockerignoreMatcher(rules);
    }

    /// <summary>Reads <c>CONTEXT/.dockerignore</c>; <see cref="None"/> when there is none.</summary>
    public static async Task<DockerignoreMatcher> LoadAsync(string contextDirectory, CancellationToken cancellationToken)
    {
        var path = Path.Combine(contextDirectory, ".dockerignore");
        return File.Exists(path) ? Parse(await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false)) : None;
    }

    /// <summary>True when <paramref name="relativePath"/> (or a directory above it) is excluded by the last rule that matches it.</summary>
    public bool IsExcluded(string relativePath)
    {
        var path = Clean(relativePath.Replace('\\', '/'));
        var excluded = false;
        foreach (var (pattern, exclude) in _rules)
        {
            if (MatchesSelfOrParent(pattern, path))
            {
                excluded = exclude;
            }
        }

        return excluded;
    }

    private static bool MatchesSelfOrParent(Regex pattern, string path)
    {
        if (pattern.IsMatch(path))
        {
            return true;
        }

        for (var slash = path.LastIndexOf('/'); slash > 0; slash = path.LastIndexOf('/', slash - 1))
        {
            if (pattern.IsMatch(path[..slash]))
            {
                return true;
            }
        }

        return false;
    }

    private static string Clean(string pattern)
    {
        while (pattern.StartsWith("./", StringComparison.Ordinal))
        {
            pattern = pattern[2..];
        }

        return pattern.Trim('/');
    }

    private static Regex ToRegex(string pattern)
    {
        var regex = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                // "**/" matches zero or more directories; a bare "**" matches anything.
                var slashFollows = i + 2 < pattern.Length && pattern[i + 2] == '/';
                regex.Append(slashFollows ? "(.*/)?" : ".*");
                i += slashFollows ? 2 : 1;
            }
            else if (c == '*')
            {
                regex.Append("[^/]*");
            }
            else if (c == '?')
            {
                regex.Append("[^/]");
            }
            else
            {
                regex.Append(Regex.Escape(c.ToString()));
            }
        }

        return new Regex(regex.Append('$').ToString(), RegexOptions.CultureInvariant);
    }
}
