using Berth.Cli.Api;
using Berth.Cli.Output;

namespace Berth.Cli.Commands.Secrets;

/// <summary>`berth secret rm STACK NAME`: the server forgets it; releases that used it keep their copy (rollback works).</summary>
public sealed class SecretRemoveCommand : ApiCommand<SecretRemoveSettings>
{
    public SecretRemoveCommand(CliEnvironment cli)
        : base(cli)
    {
    }

    protected override async Task<int> ExecuteAsync(BerthApiClient client, SecretRemoveSettings settings, CancellationToken cancellationToken)
    {
        await client.RemoveSecretAsync(settings.TargetStack, settings.Name, cancellationToken).ConfigureAwait(false);
        ConsoleText.WriteLine(Cli.Out, $"Secret {settings.Name} of stack {settings.TargetStack} removed (the releases that used it keep their copy).");
        return ExitCodes.Ok;
    }
}
