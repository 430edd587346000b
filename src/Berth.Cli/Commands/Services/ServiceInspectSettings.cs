using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Berth.Cli.Commands.Services;

/// <summary>`berth service inspect NAME [--json]`.</summary>
public sealed class ServiceInspectSettings : ApiCommandSettings
{
    [CommandArgument(0, "<NAME>")]
    [Description("Service name, e.g. articles_app.")]
    public string Name { get; init; } = string.Empty;

    [CommandOption("--json")]
    [Description("Print the ServiceInfo as JSON.")]
    public bool Json { get; init; }

    public override ValidationResult Validate() =>
        NameArguments.ServiceProblem("NAME", Name) is { } problem ? ValidationResult.Error(problem) : base.Validate();
}
