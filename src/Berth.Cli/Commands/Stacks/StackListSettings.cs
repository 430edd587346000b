using System.ComponentModel;
using Spectre.Console.Cli;

namespace Berth.Cli.Commands.Stacks;

/// <summary>`berth stack ls [--json]`.</summary>
public sealed class StackListSettings : ApiCommandSettings
{
    [CommandOption("--json")]
    [Description("Print the stacks as a JSON array of StackInfo.")]
    public bool Json { get; init; }
}
