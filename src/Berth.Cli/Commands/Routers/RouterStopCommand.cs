using Berth.Cli.Api;
using Berth.Cli.Output;

namespace Berth.Cli.Commands.Routers;

/// <summary>`berth router stop`: the server's router stops (draining open requests) until the server's next start; published ports stop answering.</summary>
public sealed class RouterStopCommand : ApiCommand<RouterStopSettings>
{
    public RouterStopCommand(CliEnvironment cli)
        : base(cli)
    {
    }

    protected override async Task<int> ExecuteAsync(BerthApiClient client, RouterStopSettings settings, CancellationToken cancellationToken)
    {
        await client.StopRouterAsync(settings.Id, cancellationToken).ConfigureAwait(false);
        ConsoleText.WriteLine(Cli.Out, $"Router {settings.Id} stopped: published ports no longer answer until the server starts it again.");
        return ExitCodes.Ok;
    }
}
