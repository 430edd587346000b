using System.Formats.Tar;

namespace Berth.Images;

/// <summary>
/// The build context as the tar stream the Engine API's /build expects: every file and directory under the context
/// folder that <c>.dockerignore</c> does not exclude. The Dockerfile and .dockerignore are always sent, as the docker
/// CLI does, so excluding them cannot break the build.
/// </summary>
public static class BuildContextArchive
{
    /// <summary>Writes the archive to a temporary file (deleted when the returned stream is disposed), positioned at 0.</summary>
    public static async Task<Stream> CreateAsync(string contextDirectory, string dockerfile, CancellationToken cancellationToken)
    {
        var ignore = await DockerignoreMatcher.LoadAsync(contextDirectory, cancellationToken).ConfigureAwait(false);
        var alwaysSent = new HashSet<string>(StringComparer.Ordinal) { Normalize(dockerfile), ".dockerignore" };
        var stream = new FileStream(
            Path.Combine(Path.GetTempPath(), $"berth-context-{Guid.NewGuid():N}.tar"),
            FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            await using (var writer = new TarWriter(stream, TarEntryFormat.Pax, leaveOpen: true))
            {
                await AddDirectoryAsync(writer, contextDirectory, "", ignore, alwaysSent, cancellationToken).ConfigureAwait(false);
            }

            stream.Position = 0;
            return stream;
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The paths (relative, '/'-separated) the archive would hold: what a test or a dry run can check.</summary>
    public static async Task<IReadOnlyList<string>> ListAsync(string contextDirectory, string dockerfile, CancellationToken cancellationToken)
    {
        await using var stream = await CreateAsync(contextDirectory, dockerfile, cancellationToken).ConfigureAwait(false);
        var names = new List<string>();
        await using var reader = new TarReader(stream);
        while (await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
        {
            names.Add(entry.Name.TrimEnd('/'));
        }

        return names;
    }

    private static async Task AddDirectoryAsync(
        TarWriter writer, string root, string relative, DockerignoreMatcher ignore, HashSet<string> alwaysSent, CancellationToken cancellationToken)
    {
        var directory = relative.Length == 0 ? root : Path.Combine(root, relative);
        foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos().OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var path = relative.Length == 0 ? entry.Name : relative + "/" + entry.Name;
            var isDirectory = entry is DirectoryInfo && entry.LinkTarget is null;
            if (ignore.IsExcluded(path) && !alwaysSent.Contains(path))
            {
                // A directory excluded as a whole may still hold a re-included ("!") or always-sent file: look inside.
                if (isDirectory && (ignore.HasReincludes || alwaysSent.Any(a => a.StartsWith(path + "/", StringComparison.Ordinal))))
                {
                    await AddDirectoryAsync(writer, root, path, ignore, alwaysSent, cancellationToken).ConfigureAwait(false);
                }

                continue;
            }

            await writer.WriteEntryAsync(entry.FullName, isDirectory ? path + "/" : path, cancellationToken).ConfigureAwait(false);
            if (isDirectory)
            {
                await AddDirectoryAsync(writer, root, path, ignore, alwaysSent, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static string Normalize(string path)
    {
        path = path.Replace('\\', '/');
        while (path.StartsWith("./", StringComparison.Ordinal))
        {
            path = path[2..];
        }

        return path.TrimStart('/');
    }
}
