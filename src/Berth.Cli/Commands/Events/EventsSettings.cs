using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Berth.Cli.Commands.Events;

/// <summary>`berth events [-f] [-n N] [--after SEQ] [--since WHEN] [--service S] [--json]`.</summary>
public sealed class EventsSettings : ApiCommandSettings
{
    [CommandOption("-f|--follow")]
    [Description("Keep printing new events until Ctrl-C.")]
    public bool Follow { get; init; }

    [CommandOption("-n|--tail <N>")]
    [Description("Only the newest N events of the log (0: none; with -f, only what happens from now on). Default: all.")]
    public string? Tail { get; init; }

    [CommandOption("--after <SEQ>")]
    [Description("Only events after this sequence number (the seq of the last event you saw, to resume).")]
    public string? After { get; init; }

    [CommandOption("--since <WHEN>")]
    [Description("Only events since a time (2026-12-04T10:00:00Z, 2026-12-04; UTC unless an offset is given) or a duration ago (10m, 2h, 7d).")]
    public string? Since { get; init; }

    [CommandOption("--service <SERVICE>")]
    [Description("Only events of this service.")]
    public string? Service { get; init; }

    [CommandOption("--json")]
    [Description("Print NDJSON: one EventInfo object per line.")]
    public bool Json { get; init; }

    /// <summary>The parsed --tail.</summary>
    public int? TailEvents => (int?)OptionValues.WholeNumber(Tail);

    /// <summary>The parsed --after.</summary>
    public long? AfterSeq => OptionValues.WholeNumber(After);

    /// <summary>The parsed --since.</summary>
    public SinceValue? SinceValue => SinceValue.TryParse(Since, out var value) ? value : null;

    public override ValidationResult Validate()
    {
        var problems = new List<string>();
        if (Tail is not null && !OptionValues.TryWholeNumber(Tail, 0, out _))
        {
            problems.Add(OptionValues.NotAWholeNumber("--tail", Tail, 0, "a number of events"));
        }

        if (After is not null && !OptionValues.TryWholeNumber(After, 0, out _, long.MaxValue))
        {
            problems.Add(OptionValues.NotAWholeNumber("--after", After, 0, "an event sequence number"));
        }

        if (Since is not null && !Commands.SinceValue.TryParse(Since, out _))
        {
            problems.Add(Commands.SinceValue.Problem("--since", Since, $"--after {Since.Trim()} for the events after sequence number {Since.Trim()}"));
        }

        if (NameArguments.ServiceProblem("--service", Service, optional: true) is { } invalid)
        {
            problems.Add(invalid);
        }

        return problems.Count > 0 ? ValidationResult.Error(string.Join(Environment.NewLine, problems)) : base.Validate();
    }
}
