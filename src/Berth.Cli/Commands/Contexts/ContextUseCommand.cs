using Berth.Cli.Connection;
using Berth.Cli.Output;
using Spectre.Console.Cli;

namespace Berth.Cli.Commands.Contexts;

/// <summary>`berth context use NAME`: later commands talk to that context's server ('default': BERTH_HOST or the local server).</summary>
public sealed class ContextUseCommand : Command<ContextNameSettings>
{
    private readonly CliEnvironment _cli;

    public ContextUseCommand(CliEnvironment cli)
    {
        _cli = cli;
    }

    public override int Execute(CommandContext context, ContextNameSettings settings, CancellationToken cancellationToken)
    {
        var store = new CliConfigStore(_cli.Variables);
        var config = store.Load(out _);
        if (settings.Name == ContextNames.Default)
        {
            store.Save(config with { CurrentContext = null });
            ConsoleText.WriteLine(_cli.Out, $"Current context: default ({(_cli.Variables.TryGetValue("BERTH_HOST", out var host) ? host : ConnectionResolver.DefaultHost)}).");
            return ExitCodes.Ok;
        }

        var chosen = config.Find(settings.Name)
            ?? throw new CliInputException($"context '{settings.Name}' does not exist; `berth context ls` lists them");
        store.Save(config with { CurrentContext = chosen.Name });
        ConsoleText.WriteLine(_cli.Out, $"Current context: {chosen.Name} ({chosen.Host}).");
        return ExitCodes.Ok;
    }
}
