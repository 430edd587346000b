using Berth.Cli.Connection;
using Berth.Cli.Output;
using Spectre.Console.Cli;

namespace Berth.Cli.Commands.Contexts;

/// <summary>`berth context rm NAME`: forgets a context (and the token it kept, if any); the current one falls back to default.</summary>
public sealed class ContextRemoveCommand : Command<ContextNameSettings>
{
    private readonly CliEnvironment _cli;

    public ContextRemoveCommand(CliEnvironment cli)
    {
        _cli = cli;
    }

    public override int Execute(CommandContext context, ContextNameSettings settings, CancellationToken cancellationToken)
    {
        var store = new CliConfigStore(_cli.Variables);
        var config = store.Load(out _);
        if (config.Find(settings.Name) is null)
        {
            throw new CliInputException($"context '{settings.Name}' does not exist; `berth context ls` lists them");
        }

        var wasCurrent = config.CurrentContext == settings.Name;
        store.Save(config with
        {
            Contexts = config.Contexts.Where(c => c.Name != settings.Name).ToList(),
            CurrentContext = wasCurrent ? null : config.CurrentContext,
        });
        ConsoleText.WriteLine(_cli.Out, $"Context '{settings.Name}' removed{(wasCurrent ? "; the current context is now default" : "")}.");
        return ExitCodes.Ok;
    }
}
