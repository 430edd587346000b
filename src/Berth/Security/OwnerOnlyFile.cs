namespace Berth.Security;

/// <summary>
/// Files that hold credentials (the local admin token, the CLI's config): written through a temporary file made 0600
/// from its first byte, then renamed over the target, so they are never readable by others nor half-written.
/// </summary>
public static class OwnerOnlyFile
{
    public const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var temporary = path + ".tmp";
        File.Delete(temporary);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = Mode;
        }

        using (var stream = new FileStream(temporary, options))
        {
            write(stream);
        }

        File.Move(temporary, path, overwrite: true);
    }

    public static void WriteText(string path, string content) =>
        Write(path, stream =>
        {
            using var writer = new StreamWriter(stream);
            writer.WriteLine(content);
        });

    /// <summary>Tightens an existing file to 0600 (a no-op on Windows).</summary>
    public static void Restrict(string path)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, Mode);
        }
    }
}
