namespace Berth.Spec.Loading;

/// <summary>
/// Builds the variables used for interpolation: the <c>.env</c> beside the first compose file (only when no env
/// files are given) or the given env files in order, then the process environment, which wins.
/// </summary>
internal static class VariableSources
{
    public static async Task<IReadOnlyDictionary<string, string>> BuildAsync(
        ComposeLoadRequest request, DiagnosticBag diagnostics, CancellationToken cancellationToken)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        var files = new List<(string Path, string Display)>();
        if (request.EnvFiles.Count > 0)
        {
            files.AddRange(request.EnvFiles.Select(f => (f, f)));
        }
        else if (request.Files.Count > 0 && DotEnvBeside(request.Files[0]) is { } dotEnv)
        {
            files.Add(dotEnv);
        }

        foreach (var (fullPath, display) in files)
        {
            var text = await BoundedFileReader.ReadTextAsync(fullPath, display, "env file", diagnostics, cancellationToken).ConfigureAwait(false);
            if (text is null)
            {
                continue;
            }

            var (entries, problems) = EnvFileReader.ParseAndInterpolate(text, name =>
                request.Environment.TryGetValue(name, out var fromEnv) ? fromEnv : variables.TryGetValue(name, out var earlier) ? earlier : null);
            foreach (var p in problems)
            {
                diagnostics.Error(new SourceMark(display, p.Line, p.Column), "", p.Message);
            }

            foreach (var e in entries)
            {
                var value = e.Value ?? (request.Environment.TryGetValue(e.Key, out var fromEnv) ? fromEnv : null);
                if (value is not null)
                {
                    variables[e.Key] = value;
                }
            }
        }

        foreach (var (key, value) in request.Environment)
        {
            variables[key] = value;
        }

        return variables;
    }

    private static (string Path, string Display)? DotEnvBeside(string composeFile)
    {
        try
        {
            var dotEnv = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(composeFile))!, ".env");
            return File.Exists(dotEnv) ? (dotEnv, Path.Combine(Path.GetDirectoryName(composeFile) ?? "", ".env")) : null;
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            // The compose file's own read reports the bad path.
            return null;
        }
    }
}
