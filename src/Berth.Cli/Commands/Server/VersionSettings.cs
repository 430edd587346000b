namespace Berth.Cli.Commands.Server;

/// <summary>`berth version [--host URL]`.</summary>
public sealed class VersionSettings : ApiCommandSettings
{
}
