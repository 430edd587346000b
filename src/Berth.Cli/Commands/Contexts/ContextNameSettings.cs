using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Berth.Cli.Commands.Contexts;

/// <summary>`berth context use|rm NAME`.</summary>
public sealed class ContextNameSettings : CommandSettings
{
    [CommandArgument(0, "<NAME>")]
    [Description("The context's name, as `berth context ls` shows it ('default': no context).")]
    public string Name { get; init; } = string.Empty;

    public override ValidationResult Validate() =>
        ContextNames.IsValid(Name) ? ValidationResult.Success() : ValidationResult.Error($"context name '{Name}' is not valid: {ContextNames.Rule}.");
}
