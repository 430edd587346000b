using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Berth.Cli.Commands.Logs;

/// <summary>`berth logs SERVICE [--env ENV] [-f] [--tail N] [--since WHEN]`.</summary>
public sealed class LogsSettings : ApiCommandSettings
{
    [CommandArgument(0, "<SERVICE>")]
    [Description("Service whose replicas' output to print, e.g. articles_app.")]
    public string Service { get; init; } = string.Empty;

    [CommandOption("--env <ENVIRONMENT>")]
    [Description("The service in this environment of its stack (x-berth.environments): articles_app with --env prod is articles-prod_app.")]
    public string? Environment { get; init; }

    /// <summary>The service as the server knows it: SERVICE, or STACK-ENV_SERVICE with --env.</summary>
    public string TargetService => Environment is null ? Service : Berth.Pipeline.EnvironmentStacks.Service(Service, Environment);

    [CommandOption("-f|--follow")]
    [Description("Keep printing new lines until Ctrl-C.")]
    public bool Follow { get; init; }

    [CommandOption("-n|--tail <N>")]
    [Description("Only the last N lines of each replica's backlog (default: all).")]
    public string? Tail { get; init; }

    [CommandOption("--since <WHEN>")]
    [Description("Only replicas still running at a time (2026-12-04T10:00:00Z, 2026-12-04) or a duration ago (10m, 2h, 7d): lines carry no time.")]
    public string? Since { get; init; }

    /// <summary>The parsed --tail.</summary>
    public int? TailLines => (int?)OptionValues.WholeNumber(Tail);

    /// <summary>The parsed --since.</summary>
    public SinceValue? SinceValue => SinceValue.TryParse(Since, out var value) ? value : null;

    public override ValidationResult Validate()
    {
        var problems = new List<string>();
        if (NameArguments.ServiceProblem("SERVICE", Service) is { } invalid)
        {
            problems.Add(invalid);
        }

        if (Berth.Pipeline.EnvironmentStacks.OptionProblem("--env", Environment) is { } environment)
        {
            problems.Add(environment);
        }

        if (Tail is not null && !OptionValues.TryWholeNumber(Tail, 0, out _))
        {
            problems.Add(OptionValues.NotAWholeNumber("--tail", Tail, 0, "a number of lines"));
        }

        if (Since is not null && !Commands.SinceValue.TryParse(Since, out _))
        {
            problems.Add(Commands.SinceValue.Problem("--since", Since));
        }

        return problems.Count > 0 ? ValidationResult.Error(string.Join(System.Environment.NewLine, problems)) : base.Validate();
    }
}
