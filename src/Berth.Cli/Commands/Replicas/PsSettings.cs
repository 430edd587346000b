using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Berth.Cli.Commands.Replicas;

/// <summary>`berth ps STACK [--all] [--json]`.</summary>
public sealed class PsSettings : ApiCommandSettings
{
    [CommandArgument(0, "<STACK>")]
    [Description("Stack whose replicas to list.")]
    public string Stack { get; init; } = string.Empty;

    [CommandOption("-a|--all")]
    [Description("Also show replicas that were shut down (old releases, scaled away).")]
    public bool All { get; init; }

    [CommandOption("--json")]
    [Description("Print the replicas as a JSON array of ReplicaInfo.")]
    public bool Json { get; init; }

    public override ValidationResult Validate() =>
        NameArguments.StackProblem("STACK", Stack) is { } problem ? ValidationResult.Error(problem) : base.Validate();
}
