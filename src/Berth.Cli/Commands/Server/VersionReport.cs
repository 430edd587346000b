namespace Berth.Cli.Commands.Server;

/// <summary>What `berth version --json` prints: the client's version, and the server's (null when it could not be reached).</summary>
public sealed record VersionReport(ClientVersion Client, ServerVersion? Server);

/// <summary>This CLI.</summary>
public sealed record ClientVersion(string Version);

/// <summary>The server that answered at <see cref="Host"/>: its /api/v1/info.</summary>
public sealed record ServerVersion(string Version, string Runtime, string DataDirectory, string Host);
