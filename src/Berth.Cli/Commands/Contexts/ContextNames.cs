using System.Text.RegularExpressions;

namespace Berth.Cli.Commands.Contexts;

/// <summary>The rule for context names; "default" is the built-in context (no context: BERTH_HOST or the local server).</summary>
public static partial class ContextNames
{
    public const string Default = "default";
    public const string Rule = "letters, digits, '.', '_' and '-', starting with a letter or digit, at most 64 characters";

    public static bool IsValid(string? name) => name is not null && Pattern().IsMatch(name);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
