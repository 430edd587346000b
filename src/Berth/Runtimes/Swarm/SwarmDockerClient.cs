using Docker.DotNet;

namespace Berth.Runtimes.Swarm;

/// <summary>Connects to the Docker Engine API (the engine picks its API version) and says in plain words when it cannot.</summary>
public static class SwarmDockerClient
{
    public static DockerClient Create(string endpoint)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(endpoint);
        return new DockerClientBuilder().WithEndpoint(new Uri(endpoint)).Build();
    }

    /// <summary>Null when <paramref name="endpoint"/> answers and is a Swarm manager; otherwise what to do about it.</summary>
    public static async Task<string?> ProblemAsync(string endpoint, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out _))
        {
            return $"the Docker endpoint '{endpoint}' is not a URI (for example unix:///var/run/docker.sock or tcp://10.0.0.5:2375)";
        }

        if (Environment.GetEnvironmentVariable("DOCKER_TLS_VERIFY") is { Length: > 0 } tls && tls != "0")
        {
            return "DOCKER_TLS_VERIFY is set, but the swarm runtime does not speak TLS to the engine yet: use the local socket or an SSH tunnel";
        }

        Docker.DotNet.Models.SystemInfoResponse info;
        try
        {
            using var client = Create(endpoint);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            info = await client.System.GetSystemInfoAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException && !cancellationToken.IsCancellationRequested)
        {
            return $"no Docker engine answers at {endpoint} ({e.GetBaseException().Message}): start dockerd (scripts/start-docker.sh) or use --runtime process";
        }

        return info.Swarm switch
        {
            { ControlAvailable: true } => null,
            { LocalNodeState: "active" } => $"the engine at {endpoint} is a Swarm worker, not a manager: point DOCKER_HOST at a manager (docker node promote)",
            _ => $"the engine at {endpoint} is not a Swarm manager: run docker swarm init",
        };
    }
}
