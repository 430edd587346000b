using System.ComponentModel;
using Berth.Cli.Output;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Berth.Cli.Commands.Services;

/// <summary>`berth service ls [STACK | --stack STACK] [--json | -q | --format TEMPLATE]`.</summary>
public sealed class ServiceListSettings : ApiCommandSettings
{
    [CommandArgument(0, "[STACK]")]
    [Description("Only services of this stack.")]
    public string? StackArgument { get; init; }

    [CommandOption("--stack <STACK>")]
    [Description("Only services of this stack (same as the argument).")]
    public string? StackOption { get; init; }

    [CommandOption("--env <ENVIRONMENT>")]
    [Description("Only services of this environment's stack (STACK-ENVIRONMENT, e.g. articles-prod); needs STACK.")]
    public string? Environment { get; init; }

    [CommandOption("--json")]
    [Description("Print the services as a JSON array of ServiceInfo.")]
    public bool Json { get; init; }

    [CommandOption("-q|--quiet")]
    [Description("Only the service names, one per line.")]
    public bool Quiet { get; init; }

    [CommandOption("--format <TEMPLATE>")]
    [Description("One line per service from a template, e.g. '{{.Name}}\\t{{.Replicas}}', 'table {{.Name}}\\t{{.Status}}' or '{{json .}}'. "
        + "Fields: .Name .Mode .Replicas .Release .Artifact .Ports .Status.")]
    public string? Format { get; init; }

    /// <summary>The stack filter, whichever way it was given (STACK-ENV with --env).</summary>
    public string? Stack => (StackOption ?? StackArgument, Environment) switch
    {
        ({ } stack, { } environment) => Berth.Pipeline.EnvironmentStacks.Name(stack, environment),
        (var stack, _) => stack,
    };

    public override ValidationResult Validate()
    {
        if (StackOption is not null && StackArgument is not null && StackOption != StackArgument)
        {
            return ValidationResult.Error("Give the stack once: as an argument or with --stack.");
        }

        if (Environment is not null && StackOption is null && StackArgument is null)
        {
            return ValidationResult.Error("--env needs a STACK: berth service ls articles --env prod.");
        }

        var problem = Berth.Pipeline.EnvironmentStacks.OptionProblem("--env", Environment)
            ?? NameArguments.StackProblem(StackOption is null ? "STACK" : "--stack", Stack, optional: true)
            ?? ListFormat.OptionsProblem(Json, Quiet, Format, ServiceTable.Table.Fields);
        return problem is null ? base.Validate() : ValidationResult.Error(problem);
    }
}
