using Berth.Cli.Api;
using Berth.Cli.Output;

namespace Berth.Cli.Commands.Stacks;

/// <summary>`berth rm STACK`: removes a stack (docker stack rm).</summary>
public sealed class StackRemoveCommand : ApiCommand<StackRemoveSettings>
{
    public StackRemoveCommand(CliEnvironment cli)
        : base(cli)
    {
    }

    protected override async Task<int> ExecuteAsync(BerthApiClient client, StackRemoveSettings settings, CancellationToken cancellationToken)
    {
        await client.RemoveStackAsync(settings.Stack, cancellationToken).ConfigureAwait(false);
        ConsoleText.WriteLine(Cli.Out, $"Removed stack {settings.Stack}");
        return ExitCodes.Ok;
    }
}
