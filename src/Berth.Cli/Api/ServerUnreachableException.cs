namespace Berth.Cli.Api;

/// <summary>Nothing answered at the server address (connection refused, unknown host, no answer in time).</summary>
public sealed class ServerUnreachableException : Exception
{
    public ServerUnreachableException(Uri host, Exception? innerException)
        : base($"Cannot reach the Berth server at {BerthApiClient.Display(host)}.", innerException)
    {
        Host = host;
    }

    public Uri Host { get; }
}
