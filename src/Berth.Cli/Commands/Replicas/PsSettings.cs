using System.ComponentModel;
using Berth.Cli.Output;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Berth.Cli.Commands.Replicas;

/// <summary>`berth ps STACK [--env E] [--all] [--json | -q | --format TEMPLATE]`.</summary>
public sealed class PsSettings : ApiCommandSettings
{
    [CommandArgument(0, "<STACK>")]
    [Description("Stack whose replicas to list.")]
    public string Stack { get; init; } = string.Empty;

    [CommandOption("--env <ENVIRONMENT>")]
    [Description("The stack of this environment (x-berth.environments): STACK-ENVIRONMENT, e.g. articles-prod.")]
    public string? Environment { get; init; }

    /// <summary>The stack to list: STACK, or STACK-ENV with --env.</summary>
    public string TargetStack => Environment is null ? Stack : Berth.Pipeline.EnvironmentStacks.Name(Stack, Environment);

    [CommandOption("-a|--all")]
    [Description("Also show replicas that were shut down (old releases, scaled away).")]
    public bool All { get; init; }

    [CommandOption("--json")]
    [Description("Print the replicas as a JSON array of ReplicaInfo.")]
    public bool Json { get; init; }

    [CommandOption("-q|--quiet")]
    [Description("Only the replica ids, one per line.")]
    public bool Quiet { get; init; }

    [CommandOption("--format <TEMPLATE>")]
    [Description("One line per replica from a template, e.g. '{{.ID}}\\t{{.State}}', 'table {{.ID}}\\t{{.Health}}' or '{{json .}}'. "
        + "Fields: .ID .Service .Slot .Release .Desired .State .Health .Endpoint .PID .Restarts .Message.")]
    public string? Format { get; init; }

    public override ValidationResult Validate()
    {
        var problem = NameArguments.StackProblem("STACK", Stack)
            ?? Berth.Pipeline.EnvironmentStacks.OptionProblem("--env", Environment)
            ?? ListFormat.OptionsProblem(Json, Quiet, Format, ReplicaTable.Table.Fields);
        return problem is null ? base.Validate() : ValidationResult.Error(problem);
    }
}
