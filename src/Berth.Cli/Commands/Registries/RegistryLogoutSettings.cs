using System.ComponentModel;
using Spectre.Console.Cli;

namespace Berth.Cli.Commands.Registries;

/// <summary>`berth registry logout [REGISTRY]`.</summary>
public sealed class RegistryLogoutSettings : CommandSettings
{
    [CommandArgument(0, "[REGISTRY]")]
    [Description("Registry host[[:port]]; default docker.io (Docker Hub).")]
    public string Registry { get; init; } = Berth.Images.ImageReference.DockerHub;
}
