using System.Globalization;

namespace Berth.Runtimes.Process;

/// <summary>The few fields of <c>/proc/PID/stat</c> the runtime needs to recognise and signal a process.</summary>
internal sealed record LinuxProcessStat(int Pid, char State, int ProcessGroupId, int SessionId, long StartTicks)
{
    /// <summary>Kernel clock ticks per second as seen by user space (USER_HZ, fixed at 100 on Linux).</summary>
    private const double TicksPerSecond = 100;

    public bool IsZombie => State is 'Z' or 'X' or 'x';

    /// <summary>Reads /proc/PID/stat; null when the process does not exist (or /proc is unreadable).</summary>
    public static LinuxProcessStat? TryRead(int pid)
    {
        if (pid <= 0)
        {
            return null;
        }

        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        return Parse(pid, text);
    }

    /// <summary>Parses a stat line; the command name is in parentheses and may itself contain spaces or ')'.</summary>
    public static LinuxProcessStat? Parse(int pid, string text)
    {
        var close = text.LastIndexOf(')');
        if (close < 0 || close + 2 >= text.Length)
        {
            return null;
        }

        // Fields after the command name start at field 3 (state): index 0 = field 3.
        var fields = text[(close + 2)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 20
            || !int.TryParse(fields[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out var pgid)
            || !int.TryParse(fields[3], NumberStyles.Integer, CultureInfo.InvariantCulture, out var sid)
            || !long.TryParse(fields[19], NumberStyles.Integer, CultureInfo.InvariantCulture, out var start))
        {
            return null;
        }

        return new LinuxProcessStat(pid, fields[0][0], pgid, sid, start);
    }

    /// <summary>How long the process has been running, from /proc/uptime (independent of the wall clock); null if unknown.</summary>
    public TimeSpan? Age()
    {
        try
        {
            var uptime = File.ReadAllText("/proc/uptime").Split(' ')[0];
            var seconds = double.Parse(uptime, CultureInfo.InvariantCulture) - (StartTicks / TicksPerSecond);
            return seconds >= 0 ? TimeSpan.FromSeconds(seconds) : TimeSpan.Zero;
        }
        catch (Exception ex) when (ex is IOException or FormatException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
