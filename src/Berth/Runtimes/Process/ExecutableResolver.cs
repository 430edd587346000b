namespace Berth.Runtimes.Process;

/// <summary>Finds the file a command name refers to, as a shell would (PATH search unless the name has a '/').</summary>
internal static class ExecutableResolver
{
    private const UnixFileMode AnyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    /// <summary>Returns the executable's path, or null with a user-facing <paramref name="error"/>.</summary>
    public static string? Resolve(string command, string? pathVariable, string? workingDir, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(command))
        {
            error = "command is empty";
            return null;
        }

        if (command.Contains('/', StringComparison.Ordinal))
        {
            var path = Path.IsPathRooted(command)
                ? command
                : Path.GetFullPath(Path.Combine(workingDir ?? Environment.CurrentDirectory, command));
            return Check(path, command, out error);
        }

        foreach (var directory in (pathVariable ?? "/usr/local/bin:/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, command);
            if (File.Exists(candidate) && IsExecutable(candidate))
            {
                return candidate;
            }
        }

        error = $"command not found: {command}";
        return null;
    }

    private static string? Check(string path, string command, out string? error)
    {
        error = !File.Exists(path) ? $"command not found: {command}"
            : !IsExecutable(path) ? $"permission denied: {command} is not executable"
            : null;
        return error is null ? path : null;
    }

    private static bool IsExecutable(string path) => OperatingSystem.IsWindows() || (File.GetUnixFileMode(path) & AnyExecute) != 0;
}
