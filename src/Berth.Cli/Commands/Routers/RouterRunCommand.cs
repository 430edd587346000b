using Berth.Cli.Output;
using Spectre.Console.Cli;

namespace Berth.Cli.Commands.Routers;

/// <summary>
/// `berth router run`: a router process, YARP's front doors following a control plane's routes. Like `server`, the
/// client checks the options, then hands over to the server executable (which has YARP).
/// </summary>
public sealed class RouterRunCommand : AsyncCommand<RouterRunSettings>
{
    private readonly CliEnvironment _cli;

    public RouterRunCommand(CliEnvironment cli)
    {
        _cli = cli;
    }

    public override Task<int> ExecuteAsync(CommandContext context, RouterRunSettings settings, CancellationToken cancellationToken)
    {
        if (_cli.ServerLauncher is not { } launcher)
        {
            ConsoleText.WriteLine(_cli.Error, "error: this berth cannot start a router (no server launcher)", Tint.Red);
            return Task.FromResult(ExitCodes.Failed);
        }

        return launcher.RunRouterAsync(settings, _cli, cancellationToken);
    }
}
