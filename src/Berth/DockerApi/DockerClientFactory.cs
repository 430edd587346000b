using Docker.DotNet;
using Docker.DotNet.X509;

namespace Berth.DockerApi;

/// <summary>
/// Builds the <see cref="DockerClient"/> for <see cref="DockerConnectionSettings"/>: the one place the Swarm runtime and
/// `berth build` get their engine connection from, so both honour DOCKER_HOST, DOCKER_TLS_VERIFY and DOCKER_CERT_PATH alike.
/// </summary>
public static class DockerClientFactory
{
    /// <summary>A client for the settings (the engine picks its API version); nothing is sent yet.</summary>
    /// <exception cref="DockerConnectionException">TLS is asked for and a certificate file is missing or unreadable.</exception>
    public static DockerClient Create(DockerConnectionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var builder = new DockerClientBuilder().WithEndpoint(settings.Endpoint);
        if (settings.UsesTls)
        {
            // The certificates live as long as the client: its handler presents and checks them on every new connection.
            var certificates = DockerTlsCertificates.Load(settings);
            builder = builder.WithAuthProvider(new CertificateCredentials(certificates.Client)
            {
                ServerCertificateValidationCallback = DockerServerCertificateCheck.Callback(certificates.Authorities),
            });
        }

        return builder.Build();
    }
}
