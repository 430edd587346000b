using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Berth.Cli.Commands.Stacks;

/// <summary>`berth rm STACK` / `berth stack rm STACK`.</summary>
public sealed class StackRemoveSettings : ApiCommandSettings
{
    [CommandArgument(0, "<STACK>")]
    [Description("Stack to remove with all its services and replicas.")]
    public string Stack { get; init; } = string.Empty;

    public override ValidationResult Validate() =>
        string.IsNullOrWhiteSpace(Stack) ? ValidationResult.Error("STACK is required.") : base.Validate();
}
