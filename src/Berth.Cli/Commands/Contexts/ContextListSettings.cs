using System.ComponentModel;
using Spectre.Console.Cli;

namespace Berth.Cli.Commands.Contexts;

/// <summary>`berth context ls [--json]`.</summary>
public sealed class ContextListSettings : CommandSettings
{
    [CommandOption("--json")]
    [Description("Print the contexts as a JSON array of {name, current, host, token, tlsCa} (never a token's value).")]
    public bool Json { get; init; }
}
