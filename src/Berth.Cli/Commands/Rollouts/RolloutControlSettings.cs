using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Berth.Cli.Commands.Rollouts;

/// <summary>`berth rollout pause|resume|retry SERVICE [--json]`: the three verbs take the same arguments.</summary>
public sealed class RolloutControlSettings : ApiCommandSettings
{
    [CommandArgument(0, "<SERVICE>")]
    [Description("Service name, e.g. articles_app.")]
    public string Service { get; init; } = string.Empty;

    [CommandOption("--json")]
    [Description("Print the RolloutInfo the server answered with as JSON.")]
    public bool Json { get; init; }

    public override ValidationResult Validate() =>
        NameArguments.ServiceProblem("SERVICE", Service) is { } problem ? ValidationResult.Error(problem) : base.Validate();
}
