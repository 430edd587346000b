namespace Berth.Runtimes.Process;

/// <summary>
/// A program started in a session of its own (setsid), its output appended to a log file, so it outlives the
/// process that started it (the server's router, as replicas): recognised again later by pid and start time.
/// </summary>
public sealed record DetachedProcess(int Pid, long StartTicks)
{
    /// <summary>The child object when this process started it (kept so the runtime reaps it when it exits).</summary>
    public System.Diagnostics.Process? Child { get; init; }

    private const string SetsidPath = "/usr/bin/setsid";
    private const string LaunchScript = "exec \"$@\" </dev/null >>\"$0\" 2>&1";

    /// <summary>Starts <paramref name="command"/> detached; waits (briefly) until it leads its own session.</summary>
    public static async Task<DetachedProcess> StartAsync(IReadOnlyList<string> command, string logPath, IReadOnlyDictionary<string, string>? environment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(logPath))!);
        var start = new System.Diagnostics.ProcessStartInfo(SetsidPath) { UseShellExecute = false };
        foreach (var argument in (string[])["/bin/sh", "-c", LaunchScript, logPath, .. command])
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var process = System.Diagnostics.Process.Start(start) ?? throw new InvalidOperationException($"could not start {command[0]}");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(2);
        while (true)
        {
            var stat = LinuxProcessStat.TryRead(process.Id);
            if (stat is null || stat.IsZombie)
            {
                throw new InvalidOperationException($"{command[0]} exited at once (see {logPath})");
            }

            if (stat.SessionId == process.Id || DateTime.UtcNow > deadline)
            {
                return new DetachedProcess(process.Id, stat.StartTicks) { Child = process };
            }

            await Task.Delay(TimeSpan.FromMilliseconds(2), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>True while this very process runs (the pid may have been reused by another: the start time tells).</summary>
    public bool IsAlive => LinuxProcessStat.TryRead(Pid) is { IsZombie: false } stat && stat.StartTicks == StartTicks;

    /// <summary>SIGTERM to its process group, then SIGKILL after <paramref name="grace"/>; true once it is gone.</summary>
    public async Task<bool> StopAsync(TimeSpan grace, CancellationToken cancellationToken)
    {
        if (!IsAlive)
        {
            return true;
        }

        PosixSignal.Send(Pid, Pid, PosixSignal.SigTerm);
        var deadline = DateTime.UtcNow + grace;
        while (IsAlive && DateTime.UtcNow < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken).ConfigureAwait(false);
        }

        if (IsAlive)
        {
            PosixSignal.Send(Pid, Pid, PosixSignal.SigKill);
            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken).ConfigureAwait(false);
        }

        return !IsAlive;
    }
}
