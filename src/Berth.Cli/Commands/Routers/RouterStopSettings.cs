using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Berth.Cli.Commands.Routers;

/// <summary>`berth router stop [ID]`.</summary>
public sealed class RouterStopSettings : ApiCommandSettings
{
    [CommandArgument(0, "[ID]")]
    [Description("The router to stop, as `berth router ls` shows it. Default: local (the server's own router).")]
    public string Id { get; init; } = "local";

    public override ValidationResult Validate() =>
        string.IsNullOrWhiteSpace(Id) ? ValidationResult.Error("ID must not be empty.") : base.Validate();
}
