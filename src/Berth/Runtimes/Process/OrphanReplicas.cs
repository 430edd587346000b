using System.Globalization;

namespace Berth.Runtimes.Process;

/// <summary>
/// Replica processes of this data folder that its store does not know (after `berth server --restore` put back an
/// older store): found by their output going to the folder's replica logs ({logs}/ID.log) and their BERTH_REPLICA_ID,
/// then stopped (SIGTERM to their process group, SIGKILL after the grace).
/// </summary>
public static class OrphanReplicas
{
    /// <summary>
    /// Running replicas whose stdout is a log of <paramref name="runtimeDirectory"/> (its replica log folder) and whose
    /// id <paramref name="unrecorded"/> says no store of it records: after a restore, every id the restored store
    /// lacks; at adoption, the one id a store recorded without a process.
    /// </summary>
    public static IReadOnlyList<(int Pid, string ReplicaId)> Find(string runtimeDirectory, Func<string, bool> unrecorded)
    {
        ArgumentNullException.ThrowIfNull(unrecorded);
        var logs = Path.GetFullPath(ReplicaLogFile.FolderOf(runtimeDirectory)).TrimEnd('/') + "/";
        var found = new List<(int, string)>();
        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var output = new FileInfo(Path.Combine(entry, "fd", "1")).LinkTarget;
                if (output is null || !output.StartsWith(logs, StringComparison.Ordinal) || !output.EndsWith(".log", StringComparison.Ordinal))
                {
                    continue;
                }

                var id = File.ReadAllText(Path.Combine(entry, "environ")).Split('\0')
                    .Select(v => v.StartsWith("BERTH_REPLICA_ID=", StringComparison.Ordinal) ? v["BERTH_REPLICA_ID=".Length..] : null)
                    .FirstOrDefault(v => v is not null);
                if (id is not null && unrecorded(id) && LinuxProcessStat.TryRead(pid) is { IsZombie: false })
                {
                    found.Add((pid, id));
                }
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // Gone meanwhile, or another user's process: not ours.
            }
        }

        return found;
    }

    /// <summary>Stops each: SIGTERM to its process group (a replica leads its own), SIGKILL after <paramref name="grace"/>.</summary>
    public static async Task StopAsync(IReadOnlyList<(int Pid, string ReplicaId)> orphans, TimeSpan grace, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(orphans);
        foreach (var (pid, _) in orphans)
        {
            PosixSignal.Send(pid, pid, PosixSignal.SigTerm);
        }

        var deadline = DateTimeOffset.UtcNow + grace;
        while (orphans.Any(o => LinuxProcessStat.TryRead(o.Pid) is { IsZombie: false }) && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }

        foreach (var (pid, _) in orphans.Where(o => LinuxProcessStat.TryRead(o.Pid) is { IsZombie: false }))
        {
            PosixSignal.Send(pid, pid, PosixSignal.SigKill);
        }
    }
}
