using Berth.Cli.Api;
using Berth.Cli.Output;

namespace Berth.Cli.Commands.Environments;

/// <summary>`berth target rm NAME`: the server forgets a target an admin added, once no service runs on it.</summary>
public sealed class TargetRemoveCommand : ApiCommand<TargetRemoveSettings>
{
    public TargetRemoveCommand(CliEnvironment cli)
        : base(cli)
    {
    }

    protected override async Task<int> ExecuteAsync(BerthApiClient client, TargetRemoveSettings settings, CancellationToken cancellationToken)
    {
        await client.RemoveTargetAsync(settings.Name, cancellationToken).ConfigureAwait(false);
        ConsoleText.WriteLine(Cli.Out, $"Target {settings.Name} removed.");
        return ExitCodes.Ok;
    }
}
