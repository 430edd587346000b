using System.ComponentModel;
using Spectre.Console.Cli;

namespace Berth.Cli.Commands.Registries;

/// <summary>`berth registry ls [--json]`.</summary>
public sealed class RegistryListSettings : CommandSettings
{
    [CommandOption("--json")]
    [Description("Print an array of {registry, username, source}.")]
    public bool Json { get; init; }
}
