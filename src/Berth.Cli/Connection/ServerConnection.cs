using System.Net;

namespace Berth.Cli.Connection;

/// <summary>
/// Where the CLI sends its calls and with what: the server address, the token (or none), a description of where
/// the token came from for error messages, and the CA file that must have signed the server's certificate.
/// </summary>
public sealed record ServerConnection
{
    public required Uri Host { get; init; }

    public string? Token { get; init; }

    /// <summary>Where <see cref="Token"/> came from, as a person reads it: "BERTH_TOKEN", "context 'prod' (token file ~/prod.token)".</summary>
    public string TokenSource { get; init; } = "no token";

    public string? TlsCaFile { get; init; }

    /// <summary>The context the host came from, if any.</summary>
    public string? Context { get; init; }

    /// <summary>
    /// With no token and a server on this machine, the CLI may use the server's local admin token: GET /healthz
    /// names its file to loopback callers, and the file system decides whether this user can read it.
    /// </summary>
    public bool MayUseLocalCredential => Token is null && IsLoopback(Host);

    private static bool IsLoopback(Uri host) =>
        host.IsLoopback || (IPAddress.TryParse(host.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
