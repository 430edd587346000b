using System.Runtime.InteropServices;
using Berth.Cli;
using Berth.Cli.Commands.Server;

namespace Berth.Server;

/// <summary>The server executable's <see cref="IServerLauncher"/>: runs <see cref="BerthServer"/> in this process until Ctrl-C or SIGTERM.</summary>
public sealed class ServerHost : IServerLauncher
{
    public async Task<int> RunAsync(ServerSettings settings, CliEnvironment cli, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
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
            var options = new BerthServerOptions
            {
                DataDirectory = settings.DataDirectory,
                Listen = settings.Listen,
                Runtime = settings.Runtime,
                MaxReplicas = settings.MaxReplicasCount,
                TlsCertificate = settings.TlsCertificate,
                TlsKey = settings.TlsKey,
                Insecure = settings.Insecure,
                ExecRoots = settings.ExecRoots,
            };
            return await BerthServer.RunAsync(options, stop.Token).ConfigureAwait(false);
        }
        finally
        {
            Console.CancelKeyPress -= OnCancelKeyPress;
        }
    }
}
