using System.Diagnostics;
using System.Runtime.InteropServices;
using Berth.Cli.Output;
using Berth.Routing;

namespace Berth.Cli.Commands.Server;

/// <summary>
/// The `berth` client's <see cref="IServerLauncher"/>: replaces this process with the server executable
/// (<see cref="ServerExecutable"/>) by execv, so the server keeps this pid, stdin, stdout and stderr: whoever started
/// `berth server` (a script's <c>$!</c>, a test, a service manager) signals and waits for the server itself. The client
/// stays small (no ASP.NET, YARP, SQLite): it starts fast, and the server starts only when asked for.
/// </summary>
public sealed class ServerHandover : IServerLauncher
{
    public Task<int> RunAsync(ServerSettings settings, CliEnvironment cli, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return HandOverAsync(settings.ToArguments(), new Dictionary<string, string>(), cli, cancellationToken);
    }

    /// <summary>The router: the same executable, with the runtime settings of a router (<see cref="RouterProcessEnvironment"/>).</summary>
    public Task<int> RunRouterAsync(Commands.Routers.RouterRunSettings settings, CliEnvironment cli, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(cli);
        var variables = RouterProcessEnvironment.For(name => cli.Variables.TryGetValue(name, out var value) ? value : null);
        return HandOverAsync(settings.ToArguments(), variables, cli, cancellationToken);
    }

    private static Task<int> HandOverAsync(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> variables, CliEnvironment cli, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cli);
        var server = ServerExecutable.Find(cli.Variables, AppContext.BaseDirectory, out var searched);
        if (server is null)
        {
            ConsoleText.WriteLine(cli.Error, $"error: cannot find the Berth server ({ServerExecutable.PackagedName} or {ServerExecutable.AssemblyName}); looked at: {string.Join(", ", searched)}", Tint.Red);
            return Task.FromResult(ExitCodes.Failed);
        }

        string[] argv = [server.Program, .. server.LeadingArguments, .. arguments];
        if (OperatingSystem.IsWindows())
        {
            return RunChildAsync(argv, variables, cancellationToken);
        }

        cli.Out.Profile.Out.Writer.Flush();
        cli.Error.Profile.Out.Writer.Flush();
        RemoveDiagnosticsSocket();
        var problem = Exec(argv, variables);
        ConsoleText.WriteLine(cli.Error, $"error: cannot start the Berth server {server.Program}: {problem}", Tint.Red);
        return Task.FromResult(ExitCodes.Failed);
    }

    /// <summary>
    /// The .NET runtime of this client listens for diagnostic tools (dotnet-counters, dotnet-trace, dotnet-gcdump) on
    /// TMPDIR/dotnet-diagnostic-PID-KEY-socket, where KEY is the process's start time. The server keeps both pid and start
    /// time across execv, so its runtime would find the path taken by the listener execv just closed and go without
    /// one: the server could not be diagnosed. The path is freed first. (The ahead-of-time client has no listener.)
    /// </summary>
    private static void RemoveDiagnosticsSocket()
    {
        var directory = Environment.GetEnvironmentVariable("TMPDIR") is { Length: > 0 } tmp ? tmp : "/tmp";
        try
        {
            foreach (var socket in Directory.EnumerateFiles(directory, $"dotnet-diagnostic-{Environment.ProcessId}-*-socket"))
            {
                File.Delete(socket);
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Diagnostics are a convenience: the server starts without them rather than not at all.
        }
    }

    /// <summary>
    /// execv(2), with <paramref name="variables"/> added to the environment it passes on (setenv(3): .NET's own
    /// Environment.SetEnvironmentVariable changes only the runtime's copy, not the one execv hands over). Returns only
    /// when it failed, with the reason.
    /// </summary>
    private static string Exec(string[] argv, IReadOnlyDictionary<string, string> variables)
    {
        foreach (var (name, value) in variables)
        {
            var nativeName = Marshal.StringToCoTaskMemUTF8(name);
            var nativeValue = Marshal.StringToCoTaskMemUTF8(value);
            try
            {
                if (NativeMethods.setenv(nativeName, nativeValue, 1) != 0)
                {
                    return $"setenv {name}: {Marshal.GetLastPInvokeErrorMessage()}";
                }
            }
            finally
            {
                Marshal.FreeCoTaskMem(nativeName);
                Marshal.FreeCoTaskMem(nativeValue);
            }
        }

        var pointers = new IntPtr[argv.Length + 1];
        try
        {
            for (var i = 0; i < argv.Length; i++)
            {
                pointers[i] = Marshal.StringToCoTaskMemUTF8(argv[i]);
            }

            NativeMethods.execv(pointers[0], pointers);
            return Marshal.GetLastPInvokeErrorMessage();
        }
        finally
        {
            foreach (var pointer in pointers)
            {
                Marshal.FreeCoTaskMem(pointer);
            }
        }
    }

    /// <summary>Where there is no execv (Windows): the server as a child sharing this console, and its exit code.</summary>
    private static async Task<int> RunChildAsync(string[] argv, IReadOnlyDictionary<string, string> variables, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(argv[0]) { UseShellExecute = false };
        foreach (var arg in argv.Skip(1))
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in variables)
        {
            start.Environment[name] = value;
        }

        using var child = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {argv[0]}");
        await child.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        return child.ExitCode;
    }

    private static class NativeMethods
    {
        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int execv(IntPtr path, IntPtr[] argv);

        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int setenv(IntPtr name, IntPtr value, int overwrite);
    }
}
