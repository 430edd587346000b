namespace Berth.Runtimes.Process;

/// <summary>
/// Each service's data folder on the process runtime (<c>DATA/service-data/SERVICE</c>, given to replicas as
/// BERTH_DATA_DIR): what a named volume is to containers — shared by the service's replicas, kept across releases,
/// rollbacks and server restarts, and kept when the service is removed (delete it by hand to start afresh).
/// </summary>
internal static class ServiceDataFolders
{
    /// <summary>Null when <paramref name="folder"/> is the service's folder, ready; else why it could not be made.</summary>
    public static string? TryEnsure(string runtimeDirectory, string service, out string folder)
    {
        folder = Path.Combine(runtimeDirectory, "service-data", service);
        try
        {
            Ensure(runtimeDirectory, service);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"the service's data folder {folder} could not be made: {e.Message}";
        }
    }

    /// <summary>The folder of <paramref name="service"/>, made (owner-only) when it does not exist.</summary>
    public static string Ensure(string runtimeDirectory, string service)
    {
        var folder = Path.Combine(runtimeDirectory, "service-data", service);
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
        }
        else
        {
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return folder;
    }
}
