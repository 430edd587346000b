using Berth.Cli.Connection;
using Berth.Cli.Output;
using Spectre.Console.Cli;

namespace Berth.Cli.Commands.Contexts;

/// <summary>`berth context ls`: the contexts, the current one marked; where each one's token comes from, never the token.</summary>
public sealed class ContextListCommand : Command<ContextListSettings>
{
    private readonly CliEnvironment _cli;

    public ContextListCommand(CliEnvironment cli)
    {
        _cli = cli;
    }

    public override int Execute(CommandContext context, ContextListSettings settings, CancellationToken cancellationToken)
    {
        var config = new CliConfigStore(_cli.Variables).Load(out var warning);
        if (warning is not null)
        {
            ConsoleText.WriteLine(_cli.Error, "warning: " + warning);
        }

        var defaultHost = _cli.Variables.TryGetValue("BERTH_HOST", out var host) && !string.IsNullOrWhiteSpace(host) ? host : ConnectionResolver.DefaultHost;
        var rows = new List<ContextRow> { new(ContextNames.Default, config.CurrentContext is null, defaultHost, "BERTH_TOKEN, else the local server's admin token", null) };
        rows.AddRange(config.Contexts.Select(c => new ContextRow(
            c.Name,
            c.Name == config.CurrentContext,
            c.Host,
            c.TokenFile is { } file ? $"file {file}" : c.Token is not null ? "kept in the CLI config" : "none",
            c.TlsCa)));
        if (settings.Json)
        {
            ConsoleText.WriteJson(_cli.Out, rows);
            return ExitCodes.Ok;
        }

        Table.Write(_cli.Out, rows);
        return ExitCodes.Ok;
    }

    private static ListTable<ContextRow> Table { get; } = new(
        new ListColumn<ContextRow>("NAME", "Name", r => r.Current ? r.Name + " *" : r.Name),
        new ListColumn<ContextRow>("HOST", "Host", r => r.Host),
        new ListColumn<ContextRow>("TOKEN", "Token", r => r.Token),
        new ListColumn<ContextRow>("TLS CA", "TlsCa", r => r.TlsCa ?? "-"));
}
