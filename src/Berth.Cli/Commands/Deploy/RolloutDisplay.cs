using Berth.Cli.Commands.Stacks;
using Berth.Cli.Output;
using Spectre.Console;

namespace Berth.Cli.Commands.Deploy;

/// <summary>Shows rollout progress: a live table on a terminal, plain lines (only when something changed) otherwise.</summary>
public static class RolloutDisplay
{
    /// <summary>Runs <paramref name="wait"/>, feeding it a progress callback that draws on <paramref name="console"/>.</summary>
    public static Task<RolloutOutcome> RunAsync(
        IAnsiConsole console, Func<Action<IReadOnlyList<ServiceProgress>>, Task<RolloutOutcome>> wait) =>
        LiveProgress.RunAsync(console, wait, BuildTable, p => p.Service, Line);

    /// <summary>"articles_app (release 2): healthy 2/3"; for a pruned service "Removing service articles_worker: 1 replica left".</summary>
    public static string Line(ServiceProgress progress) =>
        progress.Removal is { } removal ? removal.Line : $"{progress.Service} (release {progress.Release}): {progress.Summary}"
        + (progress.RolloutFailed ? $" rollout {progress.Rollout!.State}: {progress.Rollout.Reason}"
            : progress.Failed ? $" failed: {progress.StatusReason}"
            : string.Empty);

    private static Table BuildTable(IReadOnlyList<ServiceProgress> progress)
    {
        var table = new Table().Border(TableBorder.Simple).AddColumns("SERVICE", "RELEASE", "HEALTHY", "STATUS");
        foreach (var p in progress)
        {
            if (p.Removal is { } removal)
            {
                table.AddRow(
                    new Text(p.Service),
                    new Text("-"),
                    new Text(ServiceRemovalProgress.CountText(removal.ReplicasLeft.Count)),
                    new Markup(removal.Removed ? "[green]removed[/]" : "[yellow]removing[/]"));
                continue;
            }

            var status = p.RolloutFailed ? $"[red]rollout {Markup.Escape(p.Rollout!.State)}: {Markup.Escape(p.Rollout.Reason ?? string.Empty)}[/]"
                : p.Failed ? $"[red]failed: {Markup.Escape(p.StatusReason ?? string.Empty)}[/]"
                : p.Done ? "[green]healthy[/]"
                : $"[yellow]{Markup.Escape(p.Status)}[/]";
            table.AddRow(new Text(p.Service), new Text(p.Release.ToString(System.Globalization.CultureInfo.InvariantCulture)), new Text(p.Summary), new Markup(status));
        }

        return table;
    }
}
