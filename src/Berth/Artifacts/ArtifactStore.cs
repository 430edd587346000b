using System.Formats.Tar;
using System.IO.Compression;
using Berth.Api;
using Berth.Store;

namespace Berth.Artifacts;

/// <summary>
/// The server's process artifacts, by digest: <c>DATA/artifacts/sha256-HEX.tar.gz</c> as uploaded (checked against its
/// digest before it is kept), and <c>DATA/artifacts/sha256-HEX/</c>, its files, unpacked once when a replica first
/// needs them. A release names the digest: a rollback runs the files it ran, whatever the working copy holds now.
/// <see cref="ArtifactRetention"/> removes the artifacts no kept release names.
/// </summary>
public sealed class ArtifactStore
{
    private const string UploadPrefix = ".upload-";
    private const string UnpackMark = ".unpack-";
    private readonly string _folder;
    private readonly SemaphoreSlim _unpacking = new(1, 1);

    public ArtifactStore(string dataDirectory)
    {
        _folder = Path.Combine(dataDirectory, "artifacts");
    }

    /// <summary>Where the artifacts are kept (<c>DATA/artifacts</c>).</summary>
    public string Folder => _folder;

    /// <summary>Largest upload accepted (bytes).</summary>
    public const long MaxBytes = 1L << 30;

    public bool Has(string digest) => ArtifactPackage.IsDigest(digest) && File.Exists(PackagePath(digest));

    public long? SizeOf(string digest) => Has(digest) ? new FileInfo(PackagePath(digest)).Length : null;

    /// <summary>
    /// The artifact's size, marking it as wanted now (a deploy about to name it asked first), so that a sweep does not
    /// take it away in between; null when the store does not have it.
    /// </summary>
    public long? Claim(string digest, DateTimeOffset now)
    {
        if (!Has(digest))
        {
            return null;
        }

        var package = new FileInfo(PackagePath(digest));
        try
        {
            package.LastWriteTimeUtc = now.UtcDateTime;
        }
        catch (IOException)
        {
            // Removed meanwhile: not here.
            return null;
        }

        return package.Length;
    }

    /// <summary>Keeps <paramref name="content"/> as <paramref name="digest"/>, or keeps nothing.</summary>
    /// <exception cref="ProblemException">Not a digest, bytes that do not match it (400), or no space left (507).</exception>
    public async Task SaveAsync(string digest, Stream content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (!ArtifactPackage.IsDigest(digest))
        {
            throw ProblemException.Invalid($"'{digest}' is not a digest: sha256: and 64 lower-case hex digits");
        }

        var temporary = Path.Combine(_folder, $"{UploadPrefix}{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(_folder);
            await using (var file = File.Create(temporary))
            {
                await content.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
            }

            var actual = await ArtifactPackage.DigestAsync(temporary, cancellationToken).ConfigureAwait(false);
            if (actual != digest)
            {
                throw ProblemException.Invalid($"the upload's digest is {actual}, not {digest}: nothing was kept");
            }

            File.Move(temporary, PackagePath(digest), overwrite: true);
        }
        catch (IOException e) when (DiskSpace.IsFull(e))
        {
            throw ProblemException.NoSpace($"no space left on the server's disk for artifact {digest} in {_folder}: nothing was kept; free some space and deploy again");
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>The folder holding the artifact's files, unpacked on first use.</summary>
    /// <exception cref="InvalidOperationException">The artifact is not in the store, or its files do not fit on the disk.</exception>
    public async Task<string> FilesAsync(string digest, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(_folder, digest.Replace(':', '-'));
        if (Directory.Exists(folder))
        {
            return folder;
        }

        if (!Has(digest))
        {
            throw new InvalidOperationException($"artifact {digest} is not in {_folder}: deploy it again (berth deploy uploads it)");
        }

        await _unpacking.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!Directory.Exists(folder))
            {
                await UnpackAsync(digest, folder, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _unpacking.Release();
        }

        return folder;
    }

    /// <summary>
    /// Removes every artifact (package and unpacked files) that <paramref name="keep"/> does not name and that is older
    /// than <paramref name="olderThan"/> (an upload waits that long for the deploy that names it), and leftovers of
    /// interrupted uploads and unpacks. Returns the digests removed.
    /// </summary>
    public IReadOnlyList<string> RemoveAllBut(IReadOnlySet<string> keep, DateTimeOffset olderThan)
    {
        ArgumentNullException.ThrowIfNull(keep);
        var removed = new List<string>();
        if (!Directory.Exists(_folder))
        {
            return removed;
        }

        foreach (var entry in new DirectoryInfo(_folder).EnumerateFileSystemInfos())
        {
            if (entry.LastWriteTimeUtc >= olderThan.UtcDateTime)
            {
                continue;
            }

            if (entry.Name.StartsWith(UploadPrefix, StringComparison.Ordinal) || entry.Name.Contains(UnpackMark, StringComparison.Ordinal))
            {
                Delete(entry);
                continue;
            }

            var name = entry.Name.EndsWith(".tar.gz", StringComparison.Ordinal) ? entry.Name[..^".tar.gz".Length] : entry.Name;
            var digest = name.Replace('-', ':');
            if (ArtifactPackage.IsDigest(digest) && !keep.Contains(digest))
            {
                Delete(entry);
                if (entry is FileInfo)
                {
                    removed.Add(digest);
                }
            }
        }

        return removed;
    }

    private async Task UnpackAsync(string digest, string folder, CancellationToken cancellationToken)
    {
        var temporary = folder + $"{UnpackMark}{Guid.NewGuid():N}";
        try
        {
            Directory.CreateDirectory(temporary);
            await using (var file = File.OpenRead(PackagePath(digest)))
            await using (var gzip = new GZipStream(file, CompressionMode.Decompress))
            {
                await TarFile.ExtractToDirectoryAsync(gzip, temporary, overwriteFiles: false, cancellationToken).ConfigureAwait(false);
            }

            Directory.Move(temporary, folder);
        }
        catch (IOException e) when (DiskSpace.IsFull(e))
        {
            throw new InvalidOperationException($"no space left on the server's disk to unpack artifact {digest} in {_folder}: free some space (the replica starts again by its restart policy)", e);
        }
        finally
        {
            if (Directory.Exists(temporary))
            {
                Directory.Delete(temporary, recursive: true);
            }
        }
    }

    private static void Delete(FileSystemInfo entry)
    {
        try
        {
            if (entry is DirectoryInfo folder)
            {
                folder.Delete(recursive: true);
            }
            else
            {
                entry.Delete();
            }
        }
        catch (IOException)
        {
            // Removed meanwhile, or busy: the next sweep tries again.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private string PackagePath(string digest) => Path.Combine(_folder, digest.Replace(':', '-') + ".tar.gz");
}
