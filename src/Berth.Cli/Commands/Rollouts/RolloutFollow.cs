using Berth.Api;
using Berth.Cli.Api;
using Berth.Cli.Output;
using Spectre.Console;
using Spectre.Console.Rendering;
using Berth.Store;

namespace Berth.Cli.Commands.Rollouts;

/// <summary>
/// Watches a rollout with live progress and reports how it ended: the shared tail of `rollout status --watch` and
/// `rollback`. Exit 0 only when it completed.
/// </summary>
public static class RolloutFollow
{
    public static async Task<int> RunAsync(
        CliEnvironment cli, BerthApiClient client, RolloutInfo first, string timeoutText, TimeSpan timeout, bool json, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cli);
        ArgumentNullException.ThrowIfNull(first);

        // With --json stdout carries only the final RolloutInfo; everything for people goes to stderr.
        var people = json ? cli.Error : cli.Out;
        var watcher = new RolloutProgressWatcher(client, cli.Time, cli.RolloutPollInterval);
        var outcome = await ShowAsync(people, onProgress => watcher.WaitAsync(first, timeout, onProgress, cancellationToken)).ConfigureAwait(false);
        if (json)
        {
            ConsoleText.WriteJson(cli.Out, outcome.Last);
        }

        switch (outcome.End)
        {
            case RolloutWatchEnd.Settled when outcome.Last.State == RolloutStates.Completed:
                ConsoleText.WriteLine(people, RolloutText.Headline(outcome.Last));
                return ExitCodes.Ok;

            case RolloutWatchEnd.Settled:
                ErrorPrinter.Print(cli.Error, RolloutText.Headline(outcome.Last));
                return ExitCodes.Failed;

            case RolloutWatchEnd.Superseded:
                ErrorPrinter.Print(
                    cli.Error,
                    $"{first.Service}: rollout to release {first.ToRelease} was superseded by rollout {outcome.Last.Id} ({outcome.Last.Kind} to release {outcome.Last.ToRelease})");
                return ExitCodes.Failed;

            default:
                ErrorPrinter.Print(cli.Error, $"timed out after {timeoutText} waiting for {first.Service}: {RolloutText.Progress(outcome.Last)}");
                return ExitCodes.Failed;
        }
    }

    /// <summary>A status line redrawn every poll on a terminal; otherwise a plain line each time the progress changes.</summary>
    private static async Task<RolloutWatchOutcome> ShowAsync(
        IAnsiConsole console, Func<Action<RolloutInfo>, Task<RolloutWatchOutcome>> wait)
    {
        if (console.Profile.Capabilities.Interactive)
        {
            return await console.Live(new Text(string.Empty)).AutoClear(false).StartAsync(async live =>
                await wait(rollout =>
                {
                    // Blue/green and canary: the whole status view (step, weight, KPIs) redrawn each poll.
                    live.UpdateTarget(rollout.Progress is null
                        ? (IRenderable)new Markup($"[yellow]{Markup.Escape(rollout.Service)}[/] {Markup.Escape(RolloutText.Progress(rollout))}")
                        : StrategyStatusView.Render(RolloutStatusCommand.Grid(rollout), rollout));
                    live.Refresh();
                }).ConfigureAwait(false)).ConfigureAwait(false);
        }

        string? printed = null;
        return await wait(rollout =>
        {
            var line = RolloutText.Progress(rollout);
            if (line != printed)
            {
                printed = line;
                ConsoleText.WriteLine(console, line);
            }
        }).ConfigureAwait(false);
    }
}
