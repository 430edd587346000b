using System.Globalization;

namespace Berth.Cli.Connection;

/// <summary>Checks on files that hold credentials.</summary>
public static class FilePermissions
{
    private const UnixFileMode OthersRead = UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>The file's mode as octal text ("0644") when group or others may read it; null when only its owner can.</summary>
    public static string? OthersCanRead(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        var mode = File.GetUnixFileMode(path);
        return (mode & OthersRead) == 0 ? null : "0" + Convert.ToString((int)mode & 0x1FF, 8).PadLeft(3, '0').ToString(CultureInfo.InvariantCulture);
    }
}
