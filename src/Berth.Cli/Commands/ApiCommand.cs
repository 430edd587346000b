using Berth.Cli.Api;
using Spectre.Console.Cli;

namespace Berth.Cli.Commands;

/// <summary>Base of the verbs that call the server: opens a <see cref="BerthApiClient"/> on the resolved host.</summary>
public abstract class ApiCommand<TSettings> : AsyncCommand<TSettings>
    where TSettings : ApiCommandSettings
{
    protected ApiCommand(CliEnvironment cli)
    {
        Cli = cli;
    }

    protected CliEnvironment Cli { get; }

    public sealed override async Task<int> ExecuteAsync(CommandContext context, TSettings settings, CancellationToken cancellationToken)
    {
        using var client = new BerthApiClient(settings.ResolveConnection(Cli));
        return await ExecuteAsync(client, settings, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs the verb; API failures are thrown and mapped to exit codes by <see cref="CliExceptionHandler"/>.</summary>
    protected abstract Task<int> ExecuteAsync(BerthApiClient client, TSettings settings, CancellationToken cancellationToken);
}
