using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Berth.Cli.Commands.Rollouts;

/// <summary>`berth rollout status SERVICE [-w|--watch] [--timeout D] [--json]`.</summary>
public sealed class RolloutStatusSettings : ApiCommandSettings
{
    [CommandArgument(0, "<SERVICE>")]
    [Description("Service name, e.g. articles_app.")]
    public string Service { get; init; } = string.Empty;

    [CommandOption("-w|--watch")]
    [Description("Wait until the rollout leaves updating / rolling_back, showing progress; exit 0 only if it completed.")]
    public bool Watch { get; init; }

    [CommandOption("--timeout <DURATION>")]
    [Description("With --watch, how long to wait: seconds, or with a unit (90s, 10m). Default 10m.")]
    [DefaultValue("10m")]
    public string Timeout { get; init; } = "10m";

    [CommandOption("--json")]
    [Description("Print the RolloutInfo as JSON (the final one with --watch; progress then goes to stderr).")]
    public bool Json { get; init; }

    /// <summary>The parsed --timeout.</summary>
    public TimeSpan TimeoutSpan => Duration.TryParse(Timeout, out var value) ? value : TimeSpan.FromMinutes(10);

    public override ValidationResult Validate()
    {
        var problems = new List<string>();
        if (NameArguments.ServiceProblem("SERVICE", Service) is { } invalid)
        {
            problems.Add(invalid);
        }

        if (!Duration.TryParse(Timeout, out var timeout) || timeout <= TimeSpan.Zero)
        {
            problems.Add($"--timeout: '{Timeout}' is not a positive duration such as 600, 90s or 10m.");
        }

        return problems.Count > 0 ? ValidationResult.Error(string.Join(Environment.NewLine, problems)) : base.Validate();
    }
}
