using Berth.DockerApi;
using Docker.DotNet;
using Models = Docker.DotNet.Models;

namespace Berth.Runtimes.Swarm;

/// <summary>The Swarm runtime's engine connection (built by <see cref="DockerClientFactory"/>), and why it cannot be used when it cannot.</summary>
public static class SwarmDockerClient
{
    /// <exception cref="DockerConnectionException">The options name an unusable endpoint or missing certificate files.</exception>
    public static DockerClient Create(SwarmRuntimeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return DockerClientFactory.Create(options.ConnectionSettings());
    }

    /// <summary>Null when <paramref name="endpoint"/> answers and is a Swarm manager; otherwise what to do about it. TLS from the environment.</summary>
    public static Task<string?> ProblemAsync(string endpoint, CancellationToken cancellationToken) =>
        ProblemAsync(new SwarmRuntimeOptions { Endpoint = endpoint }, cancellationToken);

    /// <summary>Null when the engine of <paramref name="options"/> answers and is a Swarm manager; otherwise what to do about it.</summary>
    public static Task<string?> ProblemAsync(SwarmRuntimeOptions options, CancellationToken cancellationToken) =>
        ProblemAsync(options, "start dockerd (scripts/start-docker.sh), set DOCKER_HOST, or use --runtime process", "point DOCKER_HOST at a manager", cancellationToken);

    /// <summary>The same, with what to do when the engine does not answer and when it is a worker said by the caller.</summary>
    public static async Task<string?> ProblemAsync(SwarmRuntimeOptions options, string unreachableRemedy, string workerRemedy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        DockerConnectionSettings settings;
        try
        {
            settings = options.ConnectionSettings();
        }
        catch (DockerConnectionException e)
        {
            return e.Message;
        }

        Models.SystemInfoResponse info;
        try
        {
            using var client = DockerClientFactory.Create(settings);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            info = await client.System.GetSystemInfoAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException && !cancellationToken.IsCancellationRequested)
        {
            return await DockerConnectionDiagnosis.ExplainAsync(
                settings, e, cancellationToken, unreachableRemedy).ConfigureAwait(false);
        }

        var endpoint = settings.Describe();
        return info.Swarm switch
        {
            { ControlAvailable: true } => null,
            { LocalNodeState: "active" } => $"the engine at {endpoint} is a Swarm worker, not a manager: {workerRemedy} (docker node promote)",
            _ => $"the engine at {endpoint} is not a Swarm manager: run docker swarm init",
        };
    }
}
