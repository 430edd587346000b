using System.ComponentModel;
using Spectre.Console.Cli;

namespace Berth.Cli.Commands.Server;

/// <summary>`berth version [--json] [--host URL]`.</summary>
public sealed class VersionSettings : ApiCommandSettings
{
    [CommandOption("--json")]
    [Description("Print {\"client\": {...}, \"server\": {...}} as JSON; server is null when it cannot be reached (exit 3).")]
    public bool Json { get; init; }
}
