using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Berth.Cli.Commands.Registries;

/// <summary>`berth registry login [REGISTRY] -u USER --password-stdin`.</summary>
public sealed class RegistryLoginSettings : CommandSettings
{
    [CommandArgument(0, "[REGISTRY]")]
    [Description("Registry host[[:port]] (ghcr.io, 127.0.0.1:5000); default docker.io (Docker Hub).")]
    public string Registry { get; init; } = Berth.Images.ImageReference.DockerHub;

    [CommandOption("-u|--username <USER>")]
    [Description("The registry user (for GHCR: your GitHub user).")]
    public string? Username { get; init; }

    [CommandOption("--password-stdin")]
    [Description("Read the password or token from standard input (never from an argument).")]
    public bool PasswordStdin { get; init; }

    public override ValidationResult Validate() =>
        string.IsNullOrWhiteSpace(Username) ? ValidationResult.Error("-u USER is required.")
        : !PasswordStdin ? ValidationResult.Error("--password-stdin is required: give the password on standard input (printf %s \"$CR_PAT\" | berth registry login ghcr.io -u USER --password-stdin).")
        : ValidationResult.Success();
}
