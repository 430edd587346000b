namespace Berth.Server;

/// <summary>Entry point of `berth server`: hosts the API and the engine until cancelled.</summary>
public static class BerthServer
{
    /// <summary>Runs the server; returns the process exit code.</summary>
    public static Task<int> RunAsync(BerthServerOptions options, CancellationToken cancellationToken)
    {
        throw new NotImplementedException("being written");
    }
}
