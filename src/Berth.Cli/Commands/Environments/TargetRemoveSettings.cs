using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Berth.Cli.Commands.Environments;

/// <summary>`berth target rm NAME`.</summary>
public sealed class TargetRemoveSettings : ApiCommandSettings
{
    [CommandArgument(0, "<NAME>")]
    [Description("The target to remove (berth target ls); local, the server's own runtime, cannot be removed.")]
    public string Name { get; init; } = string.Empty;

    public override ValidationResult Validate() =>
        string.IsNullOrWhiteSpace(Name) ? ValidationResult.Error("NAME is required.") : base.Validate();
}
