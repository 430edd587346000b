namespace Berth.Runtimes.Process;

/// <summary>
/// A replica's secrets as files, since a process has no mount namespace to get /run/secrets:
/// <c>{RuntimeDirectory}/secrets/{replicaId}/{target}</c>, directories owner-only (0700), each file with the owner
/// bits of its <c>mode</c> (default 0444 → 0400; read is always kept). The replica finds the directory in
/// <see cref="Variable"/>. Removed when the replica exits.
/// </summary>
internal sealed class ReplicaSecretFiles
{
    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const int DefaultMode = 0x124; // 0444, as Swarm

    private readonly string _root;

    public ReplicaSecretFiles(string runtimeDirectory) => _root = Path.Combine(runtimeDirectory, "secrets");

    /// <summary>The replica's directory, or null when it is granted no secrets.</summary>
    public string? DirectoryOf(ReplicaLaunch launch) =>
        Carries(launch) && IsFileName(launch.ReplicaId) ? Path.Combine(_root, launch.ReplicaId) : null;

    /// <summary>
    /// True when the release grants secrets and carries them. A release written before releases carried secrets (its
    /// spec names secrets, the launch has no content for any) gets no files, as then; deploying again carries them.
    /// </summary>
    private static bool Carries(ReplicaLaunch launch) =>
        launch.Spec?.Secrets is { Count: > 0 } && (launch.SecretContents.Count > 0 || launch.ExternalSecrets.Count > 0);

    /// <summary>Writes every granted secret (each atomically: temp file, then rename); returns why it cannot, or null.</summary>
    public string? Write(ReplicaLaunch launch)
    {
        if (DirectoryOf(launch) is not { } directory)
        {
            return Carries(launch) ? $"replica id '{launch.ReplicaId}' cannot name a secrets directory" : null;
        }

        foreach (var secret in launch.Spec!.Secrets)
        {
            var target = secret.Target ?? secret.Source;
            if (!launch.SecretContents.ContainsKey(secret.Source))
            {
                return $"secret {secret.Source} has no content in release {launch.Release} (deploy the stack again with `berth deploy` to carry it)";
            }

            if (!IsFileName(target))
            {
                return $"secret {secret.Source}: target \"{target}\" is not a plain file name";
            }
        }

        try
        {
            CreateOwnerOnly(_root);
            CreateOwnerOnly(directory);
            foreach (var secret in launch.Spec.Secrets)
            {
                WriteFile(Path.Combine(directory, secret.Target ?? secret.Source), launch.SecretContents[secret.Source], secret.Mode ?? DefaultMode);
            }

            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Remove(launch.ReplicaId);
            return $"could not write its secrets under {directory}: {ex.Message}";
        }
    }

    /// <summary>Removes the replica's secrets directory, if any (best effort: a file left behind is owner-only).</summary>
    public void Remove(string replicaId)
    {
        if (!IsFileName(replicaId))
        {
            return;
        }

        var directory = Path.Combine(_root, replicaId);
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Nothing else to do: the directory is owner-only, and the next start of this replica id never happens.
        }
    }

    private static void WriteFile(string path, byte[] content, int mode)
    {
        var temporary = path + ".tmp";
        File.Delete(temporary);
        if (OperatingSystem.IsWindows())
        {
            File.WriteAllBytes(temporary, content);
        }
        else
        {
            using (var stream = new FileStream(temporary, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            }))
            {
                stream.Write(content);
            }

            // The replica runs as the server's user: only the owner bits mean something, and read is always needed.
            File.SetUnixFileMode(temporary, (UnixFileMode)(mode & 0x1C0) | UnixFileMode.UserRead);
        }

        File.Move(temporary, path, overwrite: true);
    }

    private static void CreateOwnerOnly(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
            return;
        }

        Directory.CreateDirectory(directory, OwnerOnlyDirectory);

        // CreateDirectory leaves an existing directory's mode as it was.
        File.SetUnixFileMode(directory, OwnerOnlyDirectory);
    }

    private static bool IsFileName(string name) =>
        name.Length > 0 && name is not "." and not ".." && name.IndexOfAny(['/', '\\', '\0']) < 0;
}
