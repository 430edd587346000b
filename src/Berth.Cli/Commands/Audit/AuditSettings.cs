using System.ComponentModel;
using System.Globalization;
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
    public int? Limit { get; init; }

    [CommandOption("--json")]
    [Description("Print the entries as a JSON array of AuditEntryInfo.")]
    public bool Json { get; init; }

    /// <summary>The start of the window, <paramref name="now"/> minus a duration or an absolute time.</summary>
    public DateTimeOffset? SinceTime(DateTimeOffset now) =>
        Since is null ? null
        : Duration.TryParse(Since, out var ago) ? now - ago
        : DateTimeOffset.Parse(Since, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    public override ValidationResult Validate()
    {
        if (Since is not null && !Duration.TryParse(Since, out _) && !DateTimeOffset.TryParse(Since, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _))
        {
            return ValidationResult.Error($"--since: '{Since}' is neither a duration (1h, 30m, 7d) nor a time (2026-12-04T10:00:00Z).");
        }

        if (Limit is < 1)
        {
            return ValidationResult.Error($"--limit must be at least 1 (got {Limit}).");
        }

        return base.Validate();
    }
}
