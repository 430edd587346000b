using Berth.Spec;

namespace Berth.Cli.Commands;

/// <summary>
/// Checks the stack and service names a verb is given against <see cref="ResourceNames"/>, the rule the server and the
/// compose loader apply, so a bad name is refused (exit 2) before anything is sent.
/// </summary>
public static class NameArguments
{
    /// <summary>Null for a valid stack name (or an absent optional one), else "STACK: invalid stack name ...".</summary>
    public static string? StackProblem(string label, string? stack, bool optional = false) =>
        Problem(label, stack, optional, ResourceNames.StackProblem);

    /// <summary>Null for a valid service name (a full STACK_SERVICE), else "SERVICE: invalid service name ...".</summary>
    public static string? ServiceProblem(string label, string? service, bool optional = false) =>
        Problem(label, service, optional, ResourceNames.ServiceProblem);

    private static string? Problem(string label, string? name, bool optional, Func<string, string?> rule)
    {
        if (name is null && optional)
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(name))
        {
            return $"{label} is required.";
        }

        return rule(name) is { } problem ? $"{label}: {problem}." : null;
    }
}
