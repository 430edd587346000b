using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Berth.Cli.Commands.Secrets;

/// <summary>What `berth secret set|rm` share: the stack, the secret's name and `--env`.</summary>
public abstract class SecretStackSettings : ApiCommandSettings
{
    [CommandArgument(0, "<STACK>")]
    [Description("The stack whose external secret NAME this is (with --env, the stack's environment: articles --env prod is articles-prod).")]
    public string Stack { get; init; } = string.Empty;

    [CommandArgument(1, "<NAME>")]
    [Description("The secret's name: the external secret's name in the compose file (its name:, else its key).")]
    public string Name { get; init; } = string.Empty;

    [CommandOption("--env <ENVIRONMENT>")]
    [Description("The secret of this environment's stack (x-berth.environments): each environment has its own values.")]
    public string? Environment { get; init; }

    /// <summary>The stack as the server knows it (STACK-ENV with --env).</summary>
    public string TargetStack => Environment is null ? Stack : Berth.Pipeline.EnvironmentStacks.Name(Stack, Environment);

    public override ValidationResult Validate()
    {
        if (Berth.Pipeline.EnvironmentStacks.OptionProblem("--env", Environment) is { } environment)
        {
            return ValidationResult.Error(environment);
        }

        if (Berth.Spec.ResourceNames.StackProblem(TargetStack) is { } stack)
        {
            return ValidationResult.Error(stack);
        }

        return Berth.Spec.ResourceNames.SecretProblem(Name) is { } name ? ValidationResult.Error(name) : base.Validate();
    }
}
