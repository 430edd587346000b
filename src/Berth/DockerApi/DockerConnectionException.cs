namespace Berth.DockerApi;

/// <summary>The Docker engine cannot be reached as configured; the message names the endpoint or file and what to fix.</summary>
public sealed class DockerConnectionException : Exception
{
    public DockerConnectionException(string message)
        : base(message)
    {
    }

    public DockerConnectionException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
