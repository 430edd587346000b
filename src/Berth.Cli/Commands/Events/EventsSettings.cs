using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Berth.Cli.Commands.Events;

/// <summary>`berth events [-f] [--since N] [--service S] [--json]`.</summary>
public sealed class EventsSettings : ApiCommandSettings
{
    [CommandOption("-f|--follow")]
    [Description("Keep printing new events until Ctrl-C.")]
    public bool Follow { get; init; }

    [CommandOption("--since <SEQ>")]
    [Description("Only events after this sequence number (the seq of the last event you saw).")]
    public long? Since { get; init; }

    [CommandOption("--service <SERVICE>")]
    [Description("Only events of this service.")]
    public string? Service { get; init; }

    [CommandOption("--json")]
    [Description("Print NDJSON: one EventInfo object per line.")]
    public bool Json { get; init; }

    public override ValidationResult Validate() =>
        Since is < 0 ? ValidationResult.Error("--since must be >= 0.") : base.Validate();
}
