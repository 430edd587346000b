using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Berth.Cli.Commands.Config;

/// <summary>`berth config -c FILE [-c FILE...] [--env-file F...] [--json]`.</summary>
public sealed class ConfigSettings : CommandSettings
{
    [CommandOption("-c|--file <FILE>")]
    [Description("Compose file; repeat to merge (base first, overrides after).")]
    public string[] Files { get; init; } = [];

    [CommandOption("--env-file <FILE>")]
    [Description("Variables for interpolation; repeatable. Default: .env beside the first file.")]
    public string[] EnvFiles { get; init; } = [];

    [CommandOption("--json")]
    [Description("Print the resolved spec as JSON instead of YAML.")]
    public bool Json { get; init; }

    public override ValidationResult Validate() =>
        Files.Length == 0 ? ValidationResult.Error("Give at least one compose file with -c FILE.") : ValidationResult.Success();
}
