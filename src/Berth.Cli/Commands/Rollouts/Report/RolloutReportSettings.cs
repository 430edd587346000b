using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Berth.Cli.Commands.Rollouts.Report;

/// <summary>`berth rollout report SERVICE [RELEASE] [--format md|json|html] [--output FILE]`.</summary>
public sealed class RolloutReportSettings : ApiCommandSettings
{
    [CommandArgument(0, "<SERVICE>")]
    [Description("Service name, e.g. articles_app.")]
    public string Service { get; init; } = string.Empty;

    [CommandArgument(1, "[RELEASE]")]
    [Description("The release the rollout went to. Default: the latest blue/green or canary rollout.")]
    public string? Release { get; init; }

    [CommandOption("-f|--format <FORMAT>")]
    [Description("md (default), json (the API's RolloutReport) or html (one self-contained file with charts).")]
    [DefaultValue("md")]
    public string Format { get; init; } = ReportFormats.Markdown;

    [CommandOption("-o|--output <FILE>")]
    [Description("Write the report to FILE instead of stdout.")]
    public string? Output { get; init; }

    /// <summary>The parsed RELEASE, null for the latest blue/green or canary rollout.</summary>
    public int? ReleaseNumber => (int?)OptionValues.WholeNumber(Release);

    public override ValidationResult Validate()
    {
        var problems = new List<string>();
        if (NameArguments.ServiceProblem("SERVICE", Service) is { } invalid)
        {
            problems.Add(invalid);
        }

        if (Release is not null && !OptionValues.TryWholeNumber(Release, 1, out _))
        {
            problems.Add(OptionValues.NotAWholeNumber("RELEASE", Release, 1, "a release number"));
        }

        if (!ReportFormats.All.Contains(Format))
        {
            problems.Add($"--format: '{Format}' is not one of {string.Join(", ", ReportFormats.All)}.");
        }

        if (Output is { } output && string.IsNullOrWhiteSpace(output))
        {
            problems.Add("--output: the file name is empty.");
        }

        return problems.Count > 0 ? ValidationResult.Error(string.Join(Environment.NewLine, problems)) : base.Validate();
    }
}
