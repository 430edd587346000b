using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Berth.Cli.Commands.Environments;

/// <summary>`berth release ls STACK`, `berth env ls STACK`: a stack and --json.</summary>
public class StackArgumentSettings : ApiCommandSettings
{
    [CommandArgument(0, "<STACK>")]
    [Description("Stack name (as given to berth release create).")]
    public string Stack { get; init; } = string.Empty;

    [CommandOption("--json")]
    [Description("Print the answer as JSON (camelCase, as the API gives it).")]
    public bool Json { get; init; }

    public override ValidationResult Validate() =>
        NameArguments.StackProblem("STACK", Stack) is { } problem ? ValidationResult.Error(problem) : base.Validate();
}

/// <summary>`berth history STACK [--env E] [--json]`.</summary>
public sealed class HistorySettings : StackArgumentSettings
{
    [CommandOption("--env <ENVIRONMENT>")]
    [Description("Only this environment's history.")]
    public string? Environment { get; init; }
}
