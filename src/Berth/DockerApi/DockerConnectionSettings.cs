using System.Globalization;

namespace Berth.DockerApi;

/// <summary>
/// How to reach a Docker engine, read as the docker CLI reads it: <c>DOCKER_HOST</c> (default the local socket),
/// <c>DOCKER_TLS_VERIFY</c> (mutual TLS, the server checked against <c>ca.pem</c>) and <c>DOCKER_CERT_PATH</c>
/// (the folder with <c>ca.pem</c>, <c>cert.pem</c>, <c>key.pem</c>; default <c>~/.docker</c>).
/// </summary>
public sealed record DockerConnectionSettings
{
    public const string LocalSocket = "unix:///var/run/docker.sock";
    public const string CaFileName = "ca.pem";
    public const string CertFileName = "cert.pem";
    public const string KeyFileName = "key.pem";

    /// <summary>The engine's address: <c>unix:///path</c> or <c>tcp://host:port</c> (also http/https).</summary>
    public required Uri Endpoint { get; init; }

    /// <summary>Speak TLS, present the client certificate and accept only a server certificate signed by <c>ca.pem</c>.</summary>
    public bool TlsVerify { get; init; }

    /// <summary>Folder holding <c>ca.pem</c>, <c>cert.pem</c> and <c>key.pem</c>.</summary>
    public string CertPath { get; init; } = DefaultCertPath(null);

    /// <summary>TLS applies to TCP endpoints only (a unix socket is reached without it, as with the docker CLI).</summary>
    public bool UsesTls => TlsVerify && Endpoint.Scheme is "tcp" or "https" or "http";

    public string CaFile => Path.Combine(CertPath, CaFileName);
    public string CertFile => Path.Combine(CertPath, CertFileName);
    public string KeyFile => Path.Combine(CertPath, KeyFileName);

    /// <summary>The settings the given environment describes (DOCKER_HOST, DOCKER_TLS_VERIFY, DOCKER_CERT_PATH).</summary>
    /// <exception cref="DockerConnectionException">DOCKER_HOST is not an endpoint Berth can use.</exception>
    public static DockerConnectionSettings FromEnvironment(IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return Create(
            environment.GetValueOrDefault("DOCKER_HOST"),
            TlsVerifyFrom(environment.GetValueOrDefault("DOCKER_TLS_VERIFY")),
            DefaultCertPath(environment.GetValueOrDefault("DOCKER_CERT_PATH")));
    }

    /// <summary>
    /// Settings from an endpoint text (null or empty: the local socket). A <c>tcp://</c> address without a port gets
    /// Docker's default: 2376 with TLS, else 2375.
    /// </summary>
    /// <exception cref="DockerConnectionException">The endpoint is not a URI, or uses a scheme Berth cannot reach.</exception>
    public static DockerConnectionSettings Create(string? endpoint, bool tlsVerify, string certPath)
    {
        var text = string.IsNullOrWhiteSpace(endpoint) ? LocalSocket : endpoint.Trim();
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri))
        {
            throw new DockerConnectionException(
                $"the Docker endpoint '{text}' is not a URI: use unix:///var/run/docker.sock or tcp://HOST:PORT (DOCKER_HOST)");
        }

        switch (uri.Scheme)
        {
            case "unix":
                break;
            case "tcp" or "http" or "https":
                if (uri.Port < 0)
                {
                    var port = tlsVerify ? 2376 : 2375;
                    uri = new UriBuilder(uri) { Port = port }.Uri;
                }

                break;
            case "ssh":
                throw new DockerConnectionException(
                    $"the Docker endpoint {text} is an ssh:// address, which Berth does not speak: forward the engine's socket " +
                    "(ssh -NL /tmp/docker.sock:/var/run/docker.sock HOST) and set DOCKER_HOST=unix:///tmp/docker.sock, or use tcp:// with DOCKER_TLS_VERIFY");
            default:
                throw new DockerConnectionException(
                    $"the Docker endpoint {text} uses the scheme '{uri.Scheme}': use unix:///path/to/docker.sock or tcp://HOST:PORT");
        }

        return new DockerConnectionSettings { Endpoint = uri, TlsVerify = tlsVerify, CertPath = certPath };
    }

    /// <summary>DOCKER_TLS_VERIFY turns TLS on when set to anything but empty or "0".</summary>
    public static bool TlsVerifyFrom(string? value) => value is { Length: > 0 } && value.Trim() != "0";

    /// <summary>DOCKER_CERT_PATH when set, else <c>~/.docker</c> (as the docker CLI).</summary>
    public static string DefaultCertPath(string? configured) =>
        configured is { Length: > 0 }
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".docker");

    /// <summary>The endpoint as people write it (tcp://127.0.0.1:2376), with "(TLS)" when it is used.</summary>
    public string Describe() =>
        (Endpoint.Scheme == "unix" ? "unix://" + Endpoint.AbsolutePath : Endpoint.ToString().TrimEnd('/'))
        + (UsesTls ? " (TLS)" : "");

    internal string HostAndPort => Endpoint.Host + ":" + Endpoint.Port.ToString(CultureInfo.InvariantCulture);
}
