using Berth.DockerApi;
using Docker.DotNet;

namespace Berth.Images;

/// <summary>A client of the engine the environment names (DOCKER_HOST, DOCKER_TLS_VERIFY, DOCKER_CERT_PATH) that is known to answer.</summary>
public static class DockerEngineConnection
{
    /// <summary>A client after a successful ping (5 s at most), or <see cref="DockerEngineUnreachableException"/>.</summary>
    public static Task<DockerClient> ConnectAsync(IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        DockerConnectionSettings settings;
        try
        {
            settings = DockerConnectionSettings.FromEnvironment(environment);
        }
        catch (DockerConnectionException e)
        {
            throw new DockerEngineUnreachableException(e.Message, e);
        }

        return ConnectAsync(settings, cancellationToken);
    }

    /// <summary>A client after a successful ping (5 s at most), or <see cref="DockerEngineUnreachableException"/> saying what to fix.</summary>
    public static async Task<DockerClient> ConnectAsync(DockerConnectionSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        DockerClient? client = null;
        try
        {
            client = DockerClientFactory.Create(settings);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            await client.System.PingAsync(timeout.Token).ConfigureAwait(false);
            return client;
        }
        catch (Exception e) when (e is not OutOfMemoryException && !cancellationToken.IsCancellationRequested)
        {
            client?.Dispose();
            var message = await DockerConnectionDiagnosis.ExplainAsync(settings, e, cancellationToken).ConfigureAwait(false);
            throw new DockerEngineUnreachableException(message, e);
        }
    }
}
