using Spectre.Console;

namespace Berth.Cli.Output;

/// <summary>
/// Shows the progress of a wait on the server: a live table on a terminal, and otherwise one plain line per item,
/// printed only when that item's line changed (so logs and pipes get a short, readable history).
/// </summary>
public static class LiveProgress
{
    /// <summary>
    /// Runs <paramref name="wait"/>, feeding it a progress callback that draws every poll on <paramref name="console"/>:
    /// <paramref name="table"/> on a terminal, else <paramref name="line"/> of each item whose line differs from the last
    /// one printed for its <paramref name="key"/>.
    /// </summary>
    public static async Task<TOutcome> RunAsync<TItem, TOutcome>(
        IAnsiConsole console,
        Func<Action<IReadOnlyList<TItem>>, Task<TOutcome>> wait,
        Func<IReadOnlyList<TItem>, Table> table,
        Func<TItem, string> key,
        Func<TItem, string> line)
    {
        if (console.Profile.Capabilities.Interactive)
        {
            return await console.Live(table([])).AutoClear(false).StartAsync(async live =>
                await wait(progress =>
                {
                    live.UpdateTarget(table(progress));
                    live.Refresh();
                }).ConfigureAwait(false)).ConfigureAwait(false);
        }

        var printed = new Dictionary<string, string>(StringComparer.Ordinal);
        return await wait(progress =>
        {
            foreach (var item in progress)
            {
                var (id, text) = (key(item), line(item));
                if (!printed.TryGetValue(id, out var last) || last != text)
                {
                    printed[id] = text;
                    ConsoleText.WriteLine(console, text);
                }
            }
        }).ConfigureAwait(false);
    }
}
