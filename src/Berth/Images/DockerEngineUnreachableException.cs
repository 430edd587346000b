namespace Berth.Images;

/// <summary>No Docker engine answers at the endpoint: the message says where and how to start one.</summary>
public sealed class DockerEngineUnreachableException : Exception
{
    public DockerEngineUnreachableException(Uri endpoint, string reason, Exception inner)
        : base($"no Docker engine answers at {endpoint}: start dockerd (scripts/start-docker.sh) or set DOCKER_HOST ({reason})", inner)
    {
        Endpoint = endpoint;
    }

    public Uri Endpoint { get; }
}
