using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Berth.Cli.Commands.Logs;

/// <summary>`berth logs SERVICE [-f] [--tail N]`.</summary>
public sealed class LogsSettings : ApiCommandSettings
{
    [CommandArgument(0, "<SERVICE>")]
    [Description("Service whose replicas' output to print, e.g. articles_app.")]
    public string Service { get; init; } = string.Empty;

    [CommandOption("-f|--follow")]
    [Description("Keep printing new lines until Ctrl-C.")]
    public bool Follow { get; init; }

    [CommandOption("-n|--tail <N>")]
    [Description("Only the last N lines of the backlog (default: all).")]
    public int? Tail { get; init; }

    public override ValidationResult Validate()
    {
        if (string.IsNullOrWhiteSpace(Service))
        {
            return ValidationResult.Error("SERVICE is required.");
        }

        return Tail is < 0 ? ValidationResult.Error("--tail must be >= 0.") : base.Validate();
    }
}
