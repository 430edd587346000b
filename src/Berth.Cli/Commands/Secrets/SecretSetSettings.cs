using System.ComponentModel;
using Spectre.Console.Cli;

namespace Berth.Cli.Commands.Secrets;

/// <summary>`berth secret set STACK NAME [FILE|-] [--env E] [--json]`.</summary>
public sealed class SecretSetSettings : SecretStackSettings
{
    [CommandArgument(2, "[FILE]")]
    [Description("Read the content from this file; '-' or nothing: from standard input (as docker secret create). Kept byte for byte, a final newline included.")]
    public string? File { get; init; }

    [CommandOption("--json")]
    [Description("Print the kept secret as a StackSecretInfo JSON object (never its content).")]
    public bool Json { get; init; }
}
