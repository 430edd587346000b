using System.Globalization;
using Berth.Cli.Api;
using Berth.Cli.Output;

namespace Berth.Cli.Commands.Stacks;

/// <summary>
/// `berth rm STACK`: removes a stack and, unless --detach, waits until its replicas stopped, as
/// `docker stack rm --detach=false` does.
/// </summary>
public sealed class StackRemoveCommand : ApiCommand<StackRemoveSettings>
{
    /// <summary>How many replicas the timeout message names before "and N more".</summary>
    private const int ReplicasNamed = 5;

    public StackRemoveCommand(CliEnvironment cli)
        : base(cli)
    {
    }

    protected override async Task<int> ExecuteAsync(BerthApiClient client, StackRemoveSettings settings, CancellationToken cancellationToken)
    {
        await client.RemoveStackAsync(settings.Stack, cancellationToken).ConfigureAwait(false);
        if (settings.Detach)
        {
            ConsoleText.WriteLine(Cli.Out, $"Removing stack {settings.Stack}: the server stops its replicas in the background (follow with `berth ps {settings.Stack}`).");
            return ExitCodes.Ok;
        }

        var watcher = new StackRemovalWatcher(client, Cli.Time, Cli.RolloutPollInterval);
        var outcome = await StackRemovalDisplay.RunAsync(
            Cli.Out,
            onProgress => watcher.WaitAsync(settings.Stack, settings.TimeoutSpan, onProgress, cancellationToken)).ConfigureAwait(false);
        if (outcome.Removed)
        {
            ConsoleText.WriteLine(Cli.Out, $"Stack {settings.Stack} removed: no replica left.");
            return ExitCodes.Ok;
        }

        ErrorPrinter.Print(Cli.Error, TimeoutMessage(settings, outcome));
        return ExitCodes.Failed;
    }

    /// <summary>One line: which stack, which replicas still run, that the server goes on, and where to look.</summary>
    private static string TimeoutMessage(StackRemoveSettings settings, StackRemovalOutcome outcome)
    {
        var left = outcome.Services.SelectMany(s => s.ReplicasLeft).ToList();
        var named = string.Join(", ", left.Take(ReplicasNamed).Select(r => r.Pid is { } pid ? $"{r.Id} pid {pid.ToString(CultureInfo.InvariantCulture)}" : r.Id));
        var more = left.Count > ReplicasNamed ? $" and {(left.Count - ReplicasNamed).ToString(CultureInfo.InvariantCulture)} more" : string.Empty;
        var which = left.Count == 0 ? "its services are not deleted yet" : $"{(left.Count == 1 ? "1 replica" : left.Count.ToString(CultureInfo.InvariantCulture) + " replicas")} still running: {named}{more}";
        return $"timed out after {settings.Timeout} waiting for stack {settings.Stack} to be removed ({which}); "
            + $"the server goes on stopping them: check with `berth ps {settings.Stack}`.";
    }
}
