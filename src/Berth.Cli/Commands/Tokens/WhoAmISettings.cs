using System.ComponentModel;
using Spectre.Console.Cli;

namespace Berth.Cli.Commands.Tokens;

/// <summary>`berth whoami [--json]`.</summary>
public sealed class WhoAmISettings : ApiCommandSettings
{
    [CommandOption("--json")]
    [Description("Print server, context, token, role, expires and credential as JSON.")]
    public bool Json { get; init; }
}
