using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Berth.Cli.Commands.Replicas;

/// <summary>`berth replica ls [--stack S] [--service X] [--all] [--json]`.</summary>
public sealed class ReplicaListSettings : ApiCommandSettings
{
    [CommandOption("--stack <STACK>")]
    [Description("Only replicas of this stack.")]
    public string? Stack { get; init; }

    [CommandOption("--service <SERVICE>")]
    [Description("Only replicas of this service.")]
    public string? Service { get; init; }

    [CommandOption("-a|--all")]
    [Description("Also show replicas that were shut down.")]
    public bool All { get; init; }

    [CommandOption("--json")]
    [Description("Print the replicas as a JSON array of ReplicaInfo.")]
    public bool Json { get; init; }

    public override ValidationResult Validate()
    {
        var problems = new[] { NameArguments.StackProblem("--stack", Stack, optional: true), NameArguments.ServiceProblem("--service", Service, optional: true) }
            .OfType<string>()
            .ToList();
        return problems.Count > 0 ? ValidationResult.Error(string.Join(Environment.NewLine, problems)) : base.Validate();
    }
}
