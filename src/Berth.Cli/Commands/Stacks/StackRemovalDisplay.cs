using System.Globalization;
using Berth.Cli.Output;
using Spectre.Console;

namespace Berth.Cli.Commands.Stacks;

/// <summary>Shows a stack's removal: a live table on a terminal, plain lines (only when a service's line changed) otherwise.</summary>
public static class StackRemovalDisplay
{
    /// <summary>Runs <paramref name="wait"/>, feeding it a progress callback that draws on <paramref name="console"/>.</summary>
    public static async Task<StackRemovalOutcome> RunAsync(
        IAnsiConsole console, Func<Action<IReadOnlyList<ServiceRemovalProgress>>, Task<StackRemovalOutcome>> wait)
    {
        if (console.Profile.Capabilities.Interactive)
        {
            return await console.Live(BuildTable([])).AutoClear(false).StartAsync(async live =>
                await wait(progress =>
                {
                    live.UpdateTarget(BuildTable(progress));
                    live.Refresh();
                }).ConfigureAwait(false)).ConfigureAwait(false);
        }

        var printed = new Dictionary<string, string>(StringComparer.Ordinal);
        return await wait(progress =>
        {
            foreach (var service in progress)
            {
                var line = service.Line;
                if (!printed.TryGetValue(service.Service, out var last) || last != line)
                {
                    printed[service.Service] = line;
                    ConsoleText.WriteLine(console, line);
                }
            }
        }).ConfigureAwait(false);
    }

    private static Table BuildTable(IReadOnlyList<ServiceRemovalProgress> progress)
    {
        var table = new Table().Border(TableBorder.Simple).AddColumns("SERVICE", "REPLICAS LEFT", "STATUS");
        foreach (var service in progress)
        {
            table.AddRow(
                new Text(service.Service),
                new Text(service.ReplicasLeft.Count.ToString(CultureInfo.InvariantCulture)),
                new Markup(service.Removed ? "[green]removed[/]" : "[yellow]removing[/]"));
        }

        return table;
    }
}
