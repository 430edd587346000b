using System.Runtime.InteropServices;
using Berth.Cli;
using Berth.Cli.Commands.Server;

namespace Berth.Server;

/// <summary>The server executable's <see cref="IServerLauncher"/>: runs <see cref="BerthServer"/> in this process until Ctrl-C or SIGTERM.</summary>
public sealed class ServerHost : IServerLauncher
{
    public Task<int> RunRouterAsync(Cli.Commands.Routers.RouterRunSettings settings, CliEnvironment cli, CancellationToken cancellationToken) =>
        UntilSignalledAsync(stop => Routers.RouterHost.RunAsync(settings, stop), cancellationToken);

    public Task<int> RunAsync(ServerSettings settings, CliEnvironment cli, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var options = new BerthServerOptions
        {
            DataDirectory = settings.DataDirectory,
            Listen = settings.Listen,
            Runtime = settings.Runtime,
            Routers = settings.Routers,
            RouterImage = settings.RouterImage,
            MaxReplicas = settings.MaxReplicasCount,
            TlsCertificate = settings.TlsCertificate,
            TlsKey = settings.TlsKey,
            Insecure = settings.Insecure,
            ExecRoots = settings.ExecRoots,
            Restore = settings.Restore,
        };
        return UntilSignalledAsync(stop => BerthServer.RunAsync(options, stop), cancellationToken);
    }

    /// <summary>Runs <paramref name="run"/> until Ctrl-C or SIGTERM, which both ask for a clean stop.</summary>
    private static async Task<int> UntilSignalledAsync(Func<CancellationToken, Task<int>> run, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        // Both signals ask for a clean stop (rollouts persisted, replicas handled) instead of killing the process.
        void OnCancelKeyPress(object? sender, ConsoleCancelEventArgs e)
        {
            e.Cancel = true;
            stop.Cancel();
        }

        Console.CancelKeyPress += OnCancelKeyPress;
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
        {
            signal.Cancel = true;
            stop.Cancel();
        });
        try
        {
            return await run(stop.Token).ConfigureAwait(false);
        }
        finally
        {
            Console.CancelKeyPress -= OnCancelKeyPress;
        }
    }
}
