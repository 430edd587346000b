namespace Berth.Pipeline;

/// <summary>
/// The one naming scheme of environments: environment <c>ENV</c> of stack <c>STACK</c> runs as the stack
/// <c>STACK-ENV</c>, so its services are <c>STACK-ENV_SERVICE</c> (e.g. <c>articles-prod_app</c>) and several
/// environments share a target without clashing.
/// </summary>
public static class EnvironmentStacks
{
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
