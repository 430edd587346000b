using Berth.Api;
using Berth.Cli.Api;
using Berth.Cli.Output;

namespace Berth.Cli.Commands.Secrets;

/// <summary>`berth secret ls [STACK]`: the secrets the server keeps, by stack and name, with size and who set them when.</summary>
public sealed class SecretListCommand : ApiCommand<SecretListSettings>
{
    public SecretListCommand(CliEnvironment cli)
        : base(cli)
    {
    }

    protected override async Task<int> ExecuteAsync(BerthApiClient client, SecretListSettings settings, CancellationToken cancellationToken)
    {
        var secrets = await client.ListSecretsAsync(settings.TargetStack, cancellationToken).ConfigureAwait(false);
        if (settings.Json)
        {
            ConsoleText.WriteJson(Cli.Out, secrets);
            return ExitCodes.Ok;
        }

        Table.Write(Cli.Out, secrets);
        return ExitCodes.Ok;
    }

    private static ListTable<StackSecretInfo> Table { get; } = new(
        new ListColumn<StackSecretInfo>("STACK", "Stack", s => s.Stack),
        new ListColumn<StackSecretInfo>("NAME", "Name", s => s.Name),
        new ListColumn<StackSecretInfo>("SIZE", "Size", s => $"{s.Size} B"),
        new ListColumn<StackSecretInfo>("UPDATED", "UpdatedAt", s => EventTime.Format(s.UpdatedAt)),
        new ListColumn<StackSecretInfo>("BY", "UpdatedBy", s => s.UpdatedBy ?? "-"));
}
