using System.Runtime.InteropServices;

namespace Berth.Runtimes.Process;

/// <summary>Sends POSIX signals to a process or a whole process group (libc kill).</summary>
internal static partial class PosixSignal
{
    public const int SigKill = 9;
    public const int SigTerm = 15;
    private const int ErrorNoSuchProcess = 3; // ESRCH

    /// <summary>
    /// Signals the process group led by <paramref name="pid"/> when the process is its own group leader
    /// (so its children go too), else the process alone. Never signals another group: a wrong pgid could hit the server.
    /// </summary>
    /// <returns>True when the signal was delivered to something.</returns>
    public static bool Send(int pid, int processGroupId, int signal)
    {
        if (pid <= 1)
        {
            return false;
        }

        if (processGroupId == pid && NativeMethods.kill(-pid, signal) == 0)
        {
            return true;
        }

        return NativeMethods.kill(pid, signal) == 0 || Marshal.GetLastPInvokeError() != ErrorNoSuchProcess;
    }

    /// <summary>Signals a process group only (never a lone pid, which may have been reused); false if the group is gone.</summary>
    public static bool SendToGroup(int processGroupId, int signal) =>
        processGroupId > 1 && NativeMethods.kill(-processGroupId, signal) == 0;

    private static class NativeMethods
    {
        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int kill(int pid, int sig);
    }
}
