using System.Runtime.InteropServices;
using Berth.Server;
using Spectre.Console.Cli;

namespace Berth.Cli.Commands.Server;

/// <summary>`berth server`: runs the Berth server in this process until Ctrl-C or SIGTERM.</summary>
public sealed class ServerCommand : AsyncCommand<ServerSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ServerSettings settings, CancellationToken cancellationToken)
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
