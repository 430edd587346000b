using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Berth.Cli.Commands.Rollouts;

/// <summary>`berth rollback SERVICE [--to N] [-d|--detach] [--timeout D] [--json]`.</summary>
public sealed class RollbackSettings : ApiCommandSettings
{
    [CommandArgument(0, "<SERVICE>")]
    [Description("Service name, e.g. articles_app.")]
    public string Service { get; init; } = string.Empty;

    [CommandOption("--to <RELEASE>")]
    [Description("Release number to go back to (see `berth releases`). Default: the previous release.")]
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
        if (NameArguments.ServiceProblem("SERVICE", Service) is { } invalid)
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

        return problems.Count > 0 ? ValidationResult.Error(string.Join(Environment.NewLine, problems)) : base.Validate();
    }
}
