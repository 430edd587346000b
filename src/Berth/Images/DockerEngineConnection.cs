using Docker.DotNet;

namespace Berth.Images;

/// <summary>Where the Docker engine is (DOCKER_HOST, else the local socket) and a client that is known to answer.</summary>
public static class DockerEngineConnection
{
    /// <summary>The engine's address: <c>DOCKER_HOST</c> when set, else <c>unix:///var/run/docker.sock</c>.</summary>
    public static Uri Endpoint(IReadOnlyDictionary<string, string> environment) =>
        new(environment.TryGetValue("DOCKER_HOST", out var host) && host.Length > 0 ? host : "unix:///var/run/docker.sock");

    /// <summary>A client after a successful ping (5 s at most), or <see cref="DockerEngineUnreachableException"/>.</summary>
    public static async Task<DockerClient> ConnectAsync(Uri endpoint, CancellationToken cancellationToken)
    {
        DockerClient? client = null;
        try
        {
            client = new DockerClientBuilder().WithEndpoint(endpoint).Build();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            await client.System.PingAsync(timeout.Token).ConfigureAwait(false);
            return client;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            client?.Dispose();
            throw new DockerEngineUnreachableException(endpoint, e.GetBaseException().Message, e);
        }
    }
}
