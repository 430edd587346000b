using Berth.Cli.Connection;
using Berth.Cli.Output;
using Berth.Security;
using Spectre.Console.Cli;

namespace Berth.Cli.Commands.Contexts;

/// <summary>`berth context create`: remembers a server, its credential and CA under a name (in the CLI's config, 0600).</summary>
public sealed class ContextCreateCommand : AsyncCommand<ContextCreateSettings>
{
    private readonly CliEnvironment _cli;

    public ContextCreateCommand(CliEnvironment cli)
    {
        _cli = cli;
    }

    public override async Task<int> ExecuteAsync(CommandContext context, ContextCreateSettings settings, CancellationToken cancellationToken)
    {
        var store = new CliConfigStore(_cli.Variables);
        var config = store.Load(out var warning);
        if (warning is not null)
        {
            ConsoleText.WriteLine(_cli.Error, "warning: " + warning);
        }

        if (config.Find(settings.Name) is not null)
        {
            throw new CliInputException($"context '{settings.Name}' exists; remove it first (berth context rm {settings.Name})");
        }

        string? token = null;
        if (settings.TokenStdin)
        {
            token = (await _cli.Input.ReadToEndAsync(cancellationToken).ConfigureAwait(false)).Trim();
            if (!AccessToken.TryParse(token, out _, out var problem))
            {
                throw new CliInputException($"--token-stdin: {problem}");
            }
        }

        var created = new CliContext
        {
            Name = settings.Name,
            Host = ConnectionResolver.TryParseHost(settings.Host!)!.ToString().TrimEnd('/'),
            TokenFile = settings.TokenFile is null ? null : Path.GetFullPath(settings.TokenFile),
            Token = token,
            TlsCa = settings.TlsCa is null ? null : Path.GetFullPath(settings.TlsCa),
        };
        store.Save(config with
        {
            Contexts = [.. config.Contexts, created],
            CurrentContext = settings.Use ? created.Name : config.CurrentContext,
        });
        ConsoleText.WriteLine(_cli.Out, $"Context '{created.Name}' created ({created.Host}){(settings.Use ? "; it is the current context" : $"; use it with `berth context use {created.Name}` or --context {created.Name}")}.");
        return ExitCodes.Ok;
    }
}
