using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Berth.Cli.Commands.Audit;

/// <summary>`berth audit [--since DURATION|TIME] [--limit N] [--json]`.</summary>
public sealed class AuditSettings : ApiCommandSettings
{
    [CommandOption("--since <WHEN>")]
    [Description("Entries from this long ago (1h, 30m, 7d) or from this time (2026-12-04T10:00:00Z). Default: all kept.")]
    public string? Since { get; init; }

    [CommandOption("-n|--limit <N>")]
    [Description("At most the newest N entries. Default 1000.")]
    public string? Limit { get; init; }

    [CommandOption("--json")]
    [Description("Print the entries as a JSON array of AuditEntryInfo.")]
    public bool Json { get; init; }

    public int? LimitCount => (int?)OptionValues.WholeNumber(Limit);

    /// <summary>The start of the window, or null for everything kept.</summary>
    public DateTimeOffset? SinceTime(DateTimeOffset now) => SinceValue.TryParse(Since, out var since) ? since!.Resolve(now) : null;

    public override ValidationResult Validate()
    {
        if (Since is not null && !SinceValue.TryParse(Since, out _))
        {
            return ValidationResult.Error(SinceValue.Problem("--since", Since));
        }

        if (Limit is not null && !OptionValues.TryWholeNumber(Limit, 1, out _, 100_000))
        {
            return ValidationResult.Error(OptionValues.NotAWholeNumber("--limit", Limit, 1, "a number of entries"));
        }

        return base.Validate();
    }
}
