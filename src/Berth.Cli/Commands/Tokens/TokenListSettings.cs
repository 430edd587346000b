using System.ComponentModel;
using Spectre.Console.Cli;

namespace Berth.Cli.Commands.Tokens;

/// <summary>`berth token ls [--all] [--json]`.</summary>
public sealed class TokenListSettings : ApiCommandSettings
{
    [CommandOption("-a|--all")]
    [Description("Show revoked tokens too.")]
    public bool All { get; init; }

    [CommandOption("--json")]
    [Description("Print the tokens as a JSON array of TokenInfo (never a secret).")]
    public bool Json { get; init; }
}
