using System.Formats.Tar;
using System.IO.Compression;

namespace Berth.Artifacts;

/// <summary>
/// The server's process artifacts, by digest: <c>DATA/artifacts/sha256-HEX.tar.gz</c> as uploaded (checked against its
/// digest before it is kept), and <c>DATA/artifacts/sha256-HEX/</c>, its files, unpacked once when a replica first
/// needs them. A release names the digest: a rollback runs the files it ran, whatever the working copy holds now.
/// </summary>
public sealed class ArtifactStore
{
    private readonly string _folder;
    private readonly SemaphoreSlim _unpacking = new(1, 1);

    public ArtifactStore(string dataDirectory)
    {
        _folder = Path.Combine(dataDirectory, "artifacts");
    }

    /// <summary>Largest upload accepted (bytes).</summary>
    public const long MaxBytes = 1L << 30;

    public bool Has(string digest) => ArtifactPackage.IsDigest(digest) && File.Exists(PackagePath(digest));

    public long? SizeOf(string digest) => Has(digest) ? new FileInfo(PackagePath(digest)).Length : null;

    /// <summary>Keeps <paramref name="content"/> as <paramref name="digest"/>; null when kept, else why not (nothing kept).</summary>
    public async Task<string?> SaveAsync(string digest, Stream content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (!ArtifactPackage.IsDigest(digest))
        {
            return $"'{digest}' is not a digest: sha256: and 64 lower-case hex digits";
        }

        Directory.CreateDirectory(_folder);
        var temporary = Path.Combine(_folder, $".upload-{Guid.NewGuid():N}");
        try
        {
            await using (var file = File.Create(temporary))
            {
                await content.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
            }

            var actual = await ArtifactPackage.DigestAsync(temporary, cancellationToken).ConfigureAwait(false);
            if (actual != digest)
            {
                return $"the upload's digest is {actual}, not {digest}: nothing was kept";
            }

            File.Move(temporary, PackagePath(digest), overwrite: true);
            return null;
        }
        catch (IOException e)
        {
            return $"the artifact could not be written to {_folder} ({e.Message}): nothing was kept";
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>The folder holding the artifact's files, unpacked on first use.</summary>
    /// <exception cref="InvalidOperationException">The artifact is not in the store.</exception>
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
                var temporary = folder + $".unpack-{Guid.NewGuid():N}";
                Directory.CreateDirectory(temporary);
                await using (var file = File.OpenRead(PackagePath(digest)))
                await using (var gzip = new GZipStream(file, CompressionMode.Decompress))
                {
                    await TarFile.ExtractToDirectoryAsync(gzip, temporary, overwriteFiles: false, cancellationToken).ConfigureAwait(false);
                }

                Directory.Move(temporary, folder);
            }
        }
        finally
        {
            _unpacking.Release();
        }

        return folder;
    }

    private string PackagePath(string digest) => Path.Combine(_folder, digest.Replace(':', '-') + ".tar.gz");
}
