using System.Text.RegularExpressions;

namespace Berth.Spec;

/// <summary>
/// The one rule for stack and service names, which become <c>STACK_SERVICE</c> names, Swarm service names and file
/// names: letters, digits, <c>_ . -</c>, starting with a letter or digit (so no <c>/</c>, no space, never <c>..</c> nor a
/// hidden file). Used by the compose loader, the server and the CLI.
/// </summary>
public static partial class ResourceNames
{
    /// <summary>The longest stack name (a Swarm name limit; services add their own part after it).</summary>
    public const int MaxStackLength = 63;

    /// <summary>The rule, as messages state it.</summary>
    public const string Rule = "use letters, digits, '_', '.', '-' (starting with a letter or digit)";

    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_.-]*$")]
    private static partial Regex Pattern();

    /// <summary>True when <paramref name="name"/> follows the rule (any length).</summary>
    public static bool IsValid(string name) => Pattern().IsMatch(name);

    /// <summary>Null for a valid stack name, else the message saying why it is not.</summary>
    public static string? StackProblem(string stack) =>
        IsValid(stack) && stack.Length <= MaxStackLength
            ? null
            : $"invalid stack name \"{stack}\": {Rule}, at most {MaxStackLength} characters";

    /// <summary>The longest name of a secret the server keeps (`berth secret set`).</summary>
    public const int MaxSecretLength = 64;

    /// <summary>Null for a valid name of a kept secret, else the message saying why it is not.</summary>
    public static string? SecretProblem(string name) =>
        IsValid(name) && name.Length <= MaxSecretLength
            ? null
            : $"invalid secret name \"{name}\": {Rule}, at most {MaxSecretLength} characters";

    /// <summary>Null for a valid service name (<c>STACK_SERVICE</c>), else the message saying why it is not.</summary>
    public static string? ServiceProblem(string service) =>
        IsValid(service) ? null : $"invalid service name \"{service}\": {Rule}";
}
