using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Berth.Cli.Commands.Rollouts;

/// <summary>`berth promote SERVICE [--full] [--json]`.</summary>
public sealed class PromoteSettings : ApiCommandSettings
{
    [CommandArgument(0, "<SERVICE>")]
    [Description("Service name, e.g. articles_app.")]
    public string Service { get; init; } = string.Empty;

    [CommandOption("--full")]
    [Description("Skip every remaining step and analysis: the new release becomes stable at once.")]
    public bool Full { get; init; }

    [CommandOption("--json")]
    [Description("Print the RolloutInfo the server answered with as JSON.")]
    public bool Json { get; init; }

    public override ValidationResult Validate() =>
        NameArguments.ServiceProblem("SERVICE", Service) is { } problem ? ValidationResult.Error(problem) : base.Validate();
}
