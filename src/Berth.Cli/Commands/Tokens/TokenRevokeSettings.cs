using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Berth.Cli.Commands.Tokens;

/// <summary>`berth token revoke NAME [--json]`.</summary>
public sealed class TokenRevokeSettings : ApiCommandSettings
{
    [CommandArgument(0, "<NAME>")]
    [Description("The token's name, as `berth token ls` shows it.")]
    public string Name { get; init; } = string.Empty;

    [CommandOption("--json")]
    [Description("Print the revoked token as a TokenInfo JSON object.")]
    public bool Json { get; init; }

    public override ValidationResult Validate() =>
        string.IsNullOrWhiteSpace(Name) ? ValidationResult.Error("NAME is required.") : base.Validate();
}
