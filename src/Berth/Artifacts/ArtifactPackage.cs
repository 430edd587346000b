using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;

namespace Berth.Artifacts;

/// <summary>
/// A process artifact: a folder packed as a tar.gz in a fixed form (entries sorted, times, owners and names fixed), so
/// the same files always give the same bytes and the same <c>sha256:…</c> digest — the process world's image digest.
/// </summary>
public static class ArtifactPackage
{
    private static readonly DateTimeOffset FixedTime = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Packs <paramref name="folder"/> into <paramref name="file"/>; returns its digest.</summary>
    /// <exception cref="InvalidOperationException">A symbolic link points out of the folder.</exception>
    public static async Task<string> PackAsync(string folder, string file, CancellationToken cancellationToken)
    {
        var root = Path.GetFullPath(folder);
        await using (var output = File.Create(file))
        await using (var gzip = new GZipStream(output, CompressionLevel.Optimal))
        await using (var tar = new TarWriter(gzip, TarEntryFormat.Gnu, leaveOpen: true))
        {
            foreach (var path in Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var name = Path.GetRelativePath(root, path).Replace('\\', '/');
                var info = new FileInfo(path);
                if (info.LinkTarget is { } target)
                {
                    var resolved = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, target));
                    if (!resolved.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                    {
                        throw new InvalidOperationException($"{path} is a link to {target}, outside {root}: an artifact holds only its own files");
                    }

                    await tar.WriteEntryAsync(Fixed(new GnuTarEntry(TarEntryType.SymbolicLink, name) { LinkName = target }), cancellationToken).ConfigureAwait(false);
                }
                else if (Directory.Exists(path))
                {
                    await tar.WriteEntryAsync(Fixed(new GnuTarEntry(TarEntryType.Directory, name + "/"), Mode(path)), cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await using var content = File.OpenRead(path);
                    await tar.WriteEntryAsync(Fixed(new GnuTarEntry(TarEntryType.RegularFile, name) { DataStream = content }, Mode(path)), cancellationToken).ConfigureAwait(false);
                }
            }
        }

        return await DigestAsync(file, cancellationToken).ConfigureAwait(false);
    }

    public static async Task<string> DigestAsync(string file, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(file);
        return "sha256:" + Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Whether <paramref name="digest"/> reads <c>sha256:</c> and 64 lower-case hex digits.</summary>
    public static bool IsDigest(string? digest) =>
        digest is { Length: 71 } && digest.StartsWith("sha256:", StringComparison.Ordinal) && digest[7..].All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');

    private static UnixFileMode Mode(string path) =>
        OperatingSystem.IsWindows() ? UnixFileMode.UserRead | UnixFileMode.UserWrite : File.GetUnixFileMode(path);

    private static GnuTarEntry Fixed(GnuTarEntry entry, UnixFileMode? mode = null)
    {
        // GNU entries: no PAX extended attributes (which carry the access and change times of the moment they are written).
        entry.ModificationTime = FixedTime;
        entry.AccessTime = FixedTime;
        entry.ChangeTime = FixedTime;
        entry.Uid = 0;
        entry.Gid = 0;
        entry.UserName = "";
        entry.GroupName = "";
        if (mode is { } m)
        {
            entry.Mode = m;
        }

        return entry;
    }
}
