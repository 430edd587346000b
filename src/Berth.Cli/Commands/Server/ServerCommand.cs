using Berth.Cli.Output;
using Spectre.Console.Cli;

namespace Berth.Cli.Commands.Server;

/// <summary>
/// `berth server`: the options are parsed and checked here (help, strict parsing, exit 2), then the server runs through
/// <see cref="CliEnvironment.ServerLauncher"/>: the `berth` client hands its process over to the server executable
/// (<see cref="ServerHandover"/>), which runs it in place.
/// </summary>
public sealed class ServerCommand : AsyncCommand<ServerSettings>
{
    private readonly CliEnvironment _cli;

    public ServerCommand(CliEnvironment cli)
    {
        _cli = cli;
    }

    public override Task<int> ExecuteAsync(CommandContext context, ServerSettings settings, CancellationToken cancellationToken)
    {
        if (_cli.ServerLauncher is not { } launcher)
        {
            ConsoleText.WriteLine(_cli.Error, "error: this berth cannot start a server (no server launcher)", Tint.Red);
            return Task.FromResult(ExitCodes.Failed);
        }

        return launcher.RunAsync(settings, _cli, cancellationToken);
    }
}
