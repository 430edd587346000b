using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Berth.Cli.Commands.Releases;

/// <summary>`berth releases SERVICE [--json]`.</summary>
public sealed class ReleaseListSettings : ApiCommandSettings
{
    [CommandArgument(0, "<SERVICE>")]
    [Description("Service name, e.g. articles_app.")]
    public string Service { get; init; } = string.Empty;

    [CommandOption("--json")]
    [Description("Print the releases as a JSON array of ReleaseInfo (in the server's order).")]
    public bool Json { get; init; }

    public override ValidationResult Validate() =>
        NameArguments.ServiceProblem("SERVICE", Service) is { } problem ? ValidationResult.Error(problem) : base.Validate();
}
