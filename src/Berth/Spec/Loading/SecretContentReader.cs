namespace Berth.Spec.Loading;

/// <summary>
/// Reads the content of every secret a service is granted, as <c>docker stack deploy</c> does on the deploying side:
/// <c>file:</c> from disk, <c>environment:</c> from the variables interpolation uses. External secrets have no content
/// here (the runtime finds them). Every problem is a diagnostic naming the compose file, line and key.
/// </summary>
internal static class SecretContentReader
{
    /// <summary>Largest secret content: Swarm's own limit (500 KiB), applied on both runtimes so a stack moves between them.</summary>
    public const int MaxBytes = SecretLimits.MaxBytes;

    public static async Task<Dictionary<string, byte[]>> ReadAsync(
        MappingNode root,
        ComposeSpec spec,
        IReadOnlyDictionary<string, string> variables,
        DiagnosticBag diagnostics,
        CancellationToken cancellationToken)
    {
        var contents = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var definitions = root.Get("secrets") as MappingNode;
        var used = spec.Services.Values.SelectMany(s => s.Secrets).Select(s => s.Source).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        foreach (var name in used)
        {
            if (!spec.Secrets.TryGetValue(name, out var secret) || secret.External)
            {
                continue;
            }

            var node = definitions?.Get(name) as MappingNode;
            var path = $"secrets.{name}";
            if (secret.File is { } file)
            {
                var mark = node?.Get("file")?.Mark ?? node?.Mark ?? SourceMark.None;
                if (await ReadFileAsync(file, mark, KeyPath.Join(path, "file"), diagnostics, cancellationToken).ConfigureAwait(false) is { } bytes)
                {
                    contents[name] = bytes;
                }
            }
            else if (secret.Environment is { } variable)
            {
                var mark = node?.Get("environment")?.Mark ?? node?.Mark ?? SourceMark.None;
                if (!variables.TryGetValue(variable, out var value))
                {
                    diagnostics.Error(mark, KeyPath.Join(path, "environment"), $"environment variable {variable} is not set (secret \"{name}\" takes its content from it; set it in the environment of `berth deploy` or in the env file)");
                    continue;
                }

                var bytes = System.Text.Encoding.UTF8.GetBytes(value);
                if (bytes.Length > MaxBytes)
                {
                    diagnostics.Error(mark, KeyPath.Join(path, "environment"), $"environment variable {variable} holds {bytes.Length} bytes; a secret holds at most {MaxBytes} bytes (500 KiB)");
                    continue;
                }

                contents[name] = bytes;
            }
        }

        return contents;
    }

    private static async Task<byte[]?> ReadFileAsync(string file, SourceMark mark, string path, DiagnosticBag diagnostics, CancellationToken cancellationToken)
    {
        try
        {
            var info = new FileInfo(file);
            if (!info.Exists)
            {
                diagnostics.Error(mark, path, Directory.Exists(file) ? $"secret file {file} is a directory, not a file" : $"secret file {file} not found");
                return null;
            }

            // Checked before reading so a huge file costs nothing.
            if (info.Length > MaxBytes)
            {
                diagnostics.Error(mark, path, $"secret file {file} is {info.Length} bytes; a secret holds at most {MaxBytes} bytes (500 KiB)");
                return null;
            }

            var bytes = await File.ReadAllBytesAsync(file, cancellationToken).ConfigureAwait(false);
            if (bytes.Length > MaxBytes)
            {
                diagnostics.Error(mark, path, $"secret file {file} is larger than {MaxBytes} bytes (500 KiB)");
                return null;
            }

            return bytes;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            diagnostics.Error(mark, path, $"cannot read secret file {file}: {ex.Message}");
            return null;
        }
    }
}
