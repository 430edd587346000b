using System.Text.RegularExpressions;

namespace Berth.Security;

/// <summary>The rule for token names: what `berth token create NAME` accepts.</summary>
public static partial class TokenNames
{
    public const string Rule = "1 to 64 characters: lowercase letters, digits, '.', '_' and '-', starting with a letter or digit";

    public static bool IsValid(string? name) => name is not null && Pattern().IsMatch(name);

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
