using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Berth.Cli.Commands.Environments;

/// <summary>`berth approve|reject STACK RELEASE --env E [--comment C] [--json]`.</summary>
public sealed class ApprovalSettings : ApiCommandSettings
{
    [CommandArgument(0, "<STACK>")]
    [Description("Stack name.")]
    public string Stack { get; init; } = string.Empty;

    [CommandArgument(1, "<RELEASE>")]
    [Description("The stack release waiting for approval (berth env ls STACK shows it).")]
    public string Release { get; init; } = string.Empty;

    [CommandOption("--env <ENVIRONMENT>")]
    [Description("The environment it waits to enter, e.g. prod.")]
    public string? Environment { get; init; }

    [CommandOption("--comment <TEXT>")]
    [Description("Why; kept in the history and the audit log.")]
    public string? Comment { get; init; }

    [CommandOption("--json")]
    [Description("Print the EnvironmentDeploymentInfo as JSON.")]
    public bool Json { get; init; }

    public int ReleaseNumber => (int)OptionValues.WholeNumber(Release)!;

    public override ValidationResult Validate()
    {
        var problems = new List<string>();
        if (NameArguments.StackProblem("STACK", Stack) is { } invalid)
        {
            problems.Add(invalid);
        }

        if (!OptionValues.TryWholeNumber(Release, 1, out _))
        {
            problems.Add(OptionValues.NotAWholeNumber("RELEASE", Release, 1, "a stack release number"));
        }

        if (string.IsNullOrWhiteSpace(Environment))
        {
            problems.Add("--env ENVIRONMENT is required: the environment the release waits to enter, e.g. --env prod.");
        }

        return problems.Count > 0 ? ValidationResult.Error(string.Join(System.Environment.NewLine, problems)) : base.Validate();
    }
}
