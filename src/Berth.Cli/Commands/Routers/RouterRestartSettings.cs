using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Berth.Cli.Commands.Routers;

/// <summary>`berth router restart [ID] [--json]`.</summary>
public sealed class RouterRestartSettings : ApiCommandSettings
{
    [CommandArgument(0, "[ID]")]
    [Description("The router to replace, as `berth router ls` shows it. Default: local (the server's own router).")]
    public string Id { get; init; } = "local";

    [CommandOption("--json")]
    [Description("Print {id, oldPid, newPid}.")]
    public bool Json { get; init; }

    public override ValidationResult Validate() =>
        string.IsNullOrWhiteSpace(Id) ? ValidationResult.Error("ID must not be empty.") : base.Validate();
}
