using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Berth.DockerApi;

/// <summary>The client certificate and the CA certificates of a TLS connection to the engine, read from DOCKER_CERT_PATH.</summary>
public sealed class DockerTlsCertificates : IDisposable
{
    private DockerTlsCertificates(X509Certificate2 client, X509Certificate2Collection authorities)
    {
        Client = client;
        Authorities = authorities;
    }

    /// <summary>cert.pem with the private key of key.pem: presented to the engine.</summary>
    public X509Certificate2 Client { get; }

    /// <summary>The certificates of ca.pem: the only roots a server certificate may chain to.</summary>
    public X509Certificate2Collection Authorities { get; }

    /// <summary>Reads ca.pem, cert.pem and key.pem from the settings' folder.</summary>
    /// <exception cref="DockerConnectionException">A file is missing or unreadable: the message names each and the folder.</exception>
    public static DockerTlsCertificates Load(DockerConnectionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var missing = new[] { settings.CaFile, settings.CertFile, settings.KeyFile }.Where(f => !File.Exists(f)).ToList();
        if (missing.Count > 0)
        {
            var names = string.Join(", ", missing.Select(Path.GetFileName));
            throw new DockerConnectionException(
                $"DOCKER_TLS_VERIFY is set for {settings.Describe()}, but {names} {(missing.Count == 1 ? "is" : "are")} missing: " +
                $"looked for {string.Join(", ", missing)} (DOCKER_CERT_PATH={settings.CertPath}). " +
                "Put the engine's CA (ca.pem) and a client certificate and key it trusts (cert.pem, key.pem) there, " +
                "or point DOCKER_CERT_PATH at the folder that holds them");
        }

        var authorities = new X509Certificate2Collection();
        try
        {
            authorities.ImportFromPemFile(settings.CaFile);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw Unreadable(settings.CaFile, "a PEM certificate", e);
        }

        if (authorities.Count == 0)
        {
            throw Unreadable(settings.CaFile, "a PEM certificate", null);
        }

        X509Certificate2 client;
        try
        {
            client = X509Certificate2.CreateFromPemFile(settings.CertFile, settings.KeyFile);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw Unreadable($"{settings.CertFile} with {settings.KeyFile}", "a PEM certificate and its private key", e);
        }

        return new DockerTlsCertificates(client, authorities);
    }

    public void Dispose()
    {
        Client.Dispose();
        foreach (var authority in Authorities)
        {
            authority.Dispose();
        }
    }

    private static DockerConnectionException Unreadable(string what, string expected, Exception? inner)
    {
        var message = $"{what} cannot be read as {expected}{(inner is null ? "" : $" ({inner.Message})")}: " +
            "DOCKER_CERT_PATH must hold ca.pem, cert.pem and key.pem in PEM form, as docker-machine or the engine's TLS guide makes them";
        return inner is null ? new DockerConnectionException(message) : new DockerConnectionException(message, inner);
    }
}
