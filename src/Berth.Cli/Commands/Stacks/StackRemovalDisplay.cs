using System.Globalization;
using Berth.Cli.Output;
using Spectre.Console;

namespace Berth.Cli.Commands.Stacks;

/// <summary>Shows a stack's removal: a live table on a terminal, plain lines (only when a service's line changed) otherwise.</summary>
public static class StackRemovalDisplay
{
    /// <summary>Runs <paramref name="wait"/>, feeding it a progress callback that draws on <paramref name="console"/>.</summary>
    public static Task<StackRemovalOutcome> RunAsync(
        IAnsiConsole console, Func<Action<IReadOnlyList<ServiceRemovalProgress>>, Task<StackRemovalOutcome>> wait) =>
        LiveProgress.RunAsync(console, wait, BuildTable, s => s.Service, s => s.Line);

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
