using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Berth.Cli.Commands.Rollouts;

/// <summary>`berth rollback SERVICE [--to N] [-d|--detach] [--timeout D] [--json]`, or `berth rollback STACK --env E [--to N]`.</summary>
public sealed class RollbackSettings : ApiCommandSettings
{
    [CommandArgument(0, "<SERVICE>")]
    [Description("Service name, e.g. articles_app; with --env, a stack name (the whole stack of that environment goes back).")]
    public string Service { get; init; } = string.Empty;

    [CommandOption("--env <ENVIRONMENT>")]
    [Description("Roll the whole stack of this environment back to an earlier stack release (--to N: a release it ran; default: the one before its current one). Other environments are left alone.")]
    public string? Environment { get; init; }

    [CommandOption("--to <RELEASE>")]
    [Description("Release number to go back to (see `berth releases`, or with --env `berth history`). Default: the previous release.")]
    public string? To { get; init; }

    [CommandOption("-d|--detach")]
    [Description("Return once the server started the rollback, without waiting for it.")]
    public bool Detach { get; init; }

    [CommandOption("--timeout <DURATION>")]
    [Description("How long to wait for the rollback: seconds, or a duration (90s, 10m, 1h30m). Default 10m.")]
    [DefaultValue("10m")]
    public string Timeout { get; init; } = "10m";

    [CommandOption("--json")]
    [Description("Print the RolloutInfo as JSON (the final one unless --detach; messages then go to stderr).")]
    public bool Json { get; init; }

    /// <summary>The parsed --to, null for the previous release.</summary>
    public int? ToRelease => (int?)OptionValues.WholeNumber(To);

    /// <summary>The parsed --timeout.</summary>
    public TimeSpan TimeoutSpan => Duration.TryParse(Timeout, out var value) ? value : TimeSpan.FromMinutes(10);

    public override ValidationResult Validate()
    {
        var problems = new List<string>();
        if ((Environment is null ? NameArguments.ServiceProblem("SERVICE", Service) : NameArguments.StackProblem("STACK", Service)) is { } invalid)
        {
            problems.Add(invalid);
        }

        if (To is not null && !OptionValues.TryWholeNumber(To, 1, out _))
        {
            problems.Add(OptionValues.NotAWholeNumber("--to", To, 1, "a release number"));
        }

        if (!Duration.TryParse(Timeout, out var timeout) || timeout <= TimeSpan.Zero)
        {
            problems.Add($"--timeout: '{Timeout}' is not a positive duration such as 600, 90s or 10m.");
        }

        return problems.Count > 0 ? ValidationResult.Error(string.Join(System.Environment.NewLine, problems)) : base.Validate();
    }
}
