using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Berth.Cli.Commands.Environments;

/// <summary>`berth release create -c FILE [-c FILE...] [--env-file F...] [--version V] [--message M] [--json] STACK`.</summary>
public sealed class ReleaseCreateSettings : ApiCommandSettings
{
    [CommandArgument(0, "<STACK>")]
    [Description("Stack name; environment ENV runs as the stack STACK-ENV.")]
    public string Stack { get; init; } = string.Empty;

    [CommandOption("-c|--compose-file|--file <FILE>")]
    [Description("Compose file declaring x-berth.environments; repeat to merge (base first, overrides after).")]
    public string[] Files { get; init; } = [];

    [CommandOption("--env-file <FILE>")]
    [Description("Variables for interpolation; repeatable. Default: .env beside the first file.")]
    public string[] EnvFiles { get; init; } = [];

    [CommandOption("--version <VERSION>")]
    [Description("A label for the release, e.g. a semver or a git sha.")]
    public string? Version { get; init; }

    [CommandOption("-m|--message <TEXT>")]
    [Description("What the release is about.")]
    public string? Message { get; init; }

    [CommandOption("--build")]
    [Description("Run each x-berth.artifact command first even when its output exists; without it, only a missing output is built.")]
    public bool Build { get; init; }

    [CommandOption("--json")]
    [Description("Print the StackReleaseInfo as JSON.")]
    public bool Json { get; init; }

    public override ValidationResult Validate()
    {
        var problems = new List<string>();
        if (NameArguments.StackProblem("STACK", Stack) is { } invalid)
        {
            problems.Add(invalid);
        }

        if (Files.Length == 0)
        {
            problems.Add("Give at least one compose file with -c FILE.");
        }

        return problems.Count > 0 ? ValidationResult.Error(string.Join(Environment.NewLine, problems)) : base.Validate();
    }
}
