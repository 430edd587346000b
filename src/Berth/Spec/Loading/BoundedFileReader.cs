namespace Berth.Spec.Loading;

/// <summary>Reads a user file as text, refusing missing, unreadable, oversized or undecodable files with a diagnostic.</summary>
internal static class BoundedFileReader
{
    /// <summary>Returns the text, or null after adding an error naming <paramref name="displayName"/>.</summary>
    public static async Task<string?> ReadTextAsync(
        string path, string displayName, string what, DiagnosticBag diagnostics, CancellationToken cancellationToken)
    {
        var at = new SourceMark(displayName, 0, 0);
        try
        {
            var fullPath = Path.GetFullPath(path);
            var info = new FileInfo(fullPath);
            if (!info.Exists)
            {
                diagnostics.Error(at, "", $"{what} {displayName} not found (looked for {fullPath})");
                return null;
            }

            // Checked before reading so a huge file costs nothing.
            if (info.Length > LoadLimits.MaxFileBytes)
            {
                diagnostics.Error(at, "", $"{what} {displayName} is {info.Length} bytes; the limit is {LoadLimits.MaxFileBytes} bytes (8 MiB)");
                return null;
            }

            var bytes = await File.ReadAllBytesAsync(fullPath, cancellationToken).ConfigureAwait(false);
            if (bytes.LongLength > LoadLimits.MaxFileBytes)
            {
                diagnostics.Error(at, "", $"{what} {displayName} is larger than the 8 MiB limit");
                return null;
            }

            var text = SourceTextDecoder.TryDecode(bytes, out var problem, out var line, out var column);
            if (text is null)
            {
                diagnostics.Error(new SourceMark(displayName, line, column), "", $"{what} {displayName}: {problem}");
            }

            return text;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            diagnostics.Error(at, "", $"cannot read {what} {displayName}: {ex.Message}");
            return null;
        }
    }
}
