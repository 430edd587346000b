using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Berth.Cli.Commands.Build;

/// <summary>`berth build -c FILE [-c FILE...] [--env-file F...] [SERVICE...] [--push [--registry-user U --registry-password-stdin]]`.</summary>
public sealed class BuildSettings : CommandSettings
{
    [CommandArgument(0, "[SERVICE]")]
    [Description("Services to build (default: every service with a build: section).")]
    public string[] Services { get; init; } = [];

    [CommandOption("-c|--file <FILE>")]
    [Description("Compose file; repeat to merge (base first, overrides after).")]
    public string[] Files { get; init; } = [];

    [CommandOption("--env-file <FILE>")]
    [Description("Variables for interpolation; repeatable. Default: .env beside the first file.")]
    public string[] EnvFiles { get; init; } = [];

    [CommandOption("--push")]
    [Description("Push each image to its registry after it is built.")]
    public bool Push { get; init; }

    [CommandOption("-t|--tag <TAG>")]
    [Description("Another tag for each image (same repository), pushed too with --push; repeatable (e.g. -t 1.4.0 -t latest).")]
    public string[] Tags { get; init; } = [];

    [CommandOption("--no-git-tag")]
    [Description("Do not also tag each image with the git commit's short id (the default in a git checkout, or GITHUB_SHA).")]
    public bool NoGitTag { get; init; }

    [CommandOption("--registry-user <USER>")]
    [Description("Registry user for --push (with --registry-password-stdin). Default: docker's config.json (DOCKER_CONFIG).")]
    public string? RegistryUser { get; init; }

    [CommandOption("--registry-password-stdin")]
    [Description("Read the registry password from standard input.")]
    public bool RegistryPasswordStdin { get; init; }

    /// <summary>A tag as Docker accepts it: [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}.</summary>
    public static bool ValidTag(string tag) =>
        tag.Length is > 0 and <= 128 && (char.IsAsciiLetterOrDigit(tag[0]) || tag[0] == '_')
        && tag.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-');

    public override ValidationResult Validate()
    {
        if (Files.Length == 0)
        {
            return ValidationResult.Error("Give at least one compose file with -c FILE.");
        }

        if (Tags.FirstOrDefault(t => !ValidTag(t)) is { } badTag)
        {
            return ValidationResult.Error($"--tag '{badTag}' is not a valid tag: up to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-' (e.g. 1.4.0, latest)");
        }

        if ((RegistryUser is null) != !RegistryPasswordStdin)
        {
            return ValidationResult.Error("--registry-user and --registry-password-stdin go together.");
        }

        return (RegistryUser is not null || RegistryPasswordStdin) && !Push
            ? ValidationResult.Error("--registry-user and --registry-password-stdin only apply with --push.")
            : ValidationResult.Success();
    }
}
