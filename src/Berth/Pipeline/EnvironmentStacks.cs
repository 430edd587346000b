namespace Berth.Pipeline;

/// <summary>
/// The one naming scheme of environments: environment <c>ENV</c> of stack <c>STACK</c> runs as the stack
/// <c>STACK-ENV</c>, so its services are <c>STACK-ENV_SERVICE</c> (e.g. <c>articles-prod_app</c>) and several
/// environments share a target without clashing.
/// </summary>
public static partial class EnvironmentStacks
{
    /// <summary>What an environment's name may be, as the loader says it (x-berth.environments[].name).</summary>
    public const string NameRule = "lower-case letters, digits and '-', starting with a letter or digit, at most 30 characters";

    [System.Text.RegularExpressions.GeneratedRegex("^[a-z0-9][a-z0-9-]{0,29}$")]
    private static partial System.Text.RegularExpressions.Regex EnvironmentName();

    /// <summary>True for a name an environment can have.</summary>
    public static bool IsValidEnvironment(string name) => EnvironmentName().IsMatch(name);

    /// <summary>Null for a valid <c>--env</c> value (or none), else what is wrong with it, for a CLI option.</summary>
    public static string? OptionProblem(string option, string? environment) =>
        environment is null || IsValidEnvironment(environment)
            ? null
            : $"{option}: \"{environment}\" is not an environment name: {NameRule}.";

    public static string Name(string stack, string environment) => $"{stack}-{environment}";

    /// <summary>A service of the stack in an environment: <c>articles_app</c> in prod is <c>articles-prod_app</c>.</summary>
    public static string Service(string stackService, string environment)
    {
        var separator = stackService.IndexOf('_', StringComparison.Ordinal);
        return separator <= 0
            ? stackService
            : $"{Name(stackService[..separator], environment)}{stackService[separator..]}";
    }
}
