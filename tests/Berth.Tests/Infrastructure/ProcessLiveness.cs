namespace Berth.Tests.Infrastructure;

/// <summary>Whether a replica's process still runs, read from /proc.</summary>
internal static class ProcessLiveness
{
    /// <summary>A live process, not a zombie waiting to be reaped.</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }
}
