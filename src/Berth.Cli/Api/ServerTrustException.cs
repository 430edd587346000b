namespace Berth.Cli.Api;

/// <summary>A connection was made but cannot be used: the server's certificate is not trusted, or one side speaks TLS and the other does not.</summary>
public sealed class ServerTrustException : Exception
{
    public ServerTrustException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
