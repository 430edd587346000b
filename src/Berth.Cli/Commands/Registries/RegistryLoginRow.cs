namespace Berth.Cli.Commands.Registries;

/// <summary>One login the CLI can push with, as `registry ls` shows it: never its password.</summary>
public sealed record RegistryLoginRow(string Registry, string Username, string Source);
