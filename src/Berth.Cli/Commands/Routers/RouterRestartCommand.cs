using Berth.Cli.Api;
using Berth.Cli.Output;

namespace Berth.Cli.Commands.Routers;

/// <summary>
/// `berth router restart`: a new router process (the current binary) takes the listening sockets over from the
/// running one, which drains its open requests and exits — no connection refused, no request failed. After an
/// upgrade of Berth this is how the router runs the new version.
/// </summary>
public sealed class RouterRestartCommand : ApiCommand<RouterRestartSettings>
{
    public RouterRestartCommand(CliEnvironment cli)
        : base(cli)
    {
    }

    protected override async Task<int> ExecuteAsync(BerthApiClient client, RouterRestartSettings settings, CancellationToken cancellationToken)
    {
        var restarted = await client.RestartRouterAsync(settings.Id, cancellationToken).ConfigureAwait(false);
        if (settings.Json)
        {
            ConsoleText.WriteJson(Cli.Out, restarted);
        }
        else
        {
            ConsoleText.WriteLine(Cli.Out, $"Router {restarted.Id} replaced: pid {restarted.OldPid} handed its listening sockets to pid {restarted.NewPid}, drained and exited.");
        }

        return ExitCodes.Ok;
    }
}
