using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Berth.Cli.Commands.Secrets;

/// <summary>`berth secret ls [STACK] [--env E] [--json]`.</summary>
public sealed class SecretListSettings : ApiCommandSettings
{
    [CommandArgument(0, "[STACK]")]
    [Description("Only this stack's secrets (with --env, its environment's stack); every stack's when absent.")]
    public string? Stack { get; init; }

    [CommandOption("--env <ENVIRONMENT>")]
    [Description("The secrets of this environment's stack (needs STACK).")]
    public string? Environment { get; init; }

    [CommandOption("--json")]
    [Description("Print a JSON array of StackSecretInfo (never a content).")]
    public bool Json { get; init; }

    /// <summary>The stack as the server knows it, or null for every stack.</summary>
    public string? TargetStack => Stack is null ? null : Environment is null ? Stack : Berth.Pipeline.EnvironmentStacks.Name(Stack, Environment);

    public override ValidationResult Validate() =>
        Berth.Pipeline.EnvironmentStacks.OptionProblem("--env", Environment) is { } environment ? ValidationResult.Error(environment)
        : Environment is not null && Stack is null ? ValidationResult.Error("--env needs a STACK: berth secret ls articles --env prod")
        : base.Validate();
}
