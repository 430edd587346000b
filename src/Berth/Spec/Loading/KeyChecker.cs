namespace Berth.Spec.Loading;

/// <summary>Reports keys of a mapping that Berth ignores (warning) or that are not compose at all (error, with a suggestion).</summary>
internal static class KeyChecker
{
    /// <summary>Checks every key of <paramref name="mapping"/>; returns false when any key is unknown.</summary>
    public static bool Check(MappingNode mapping, string path, KeySection section, DiagnosticBag diagnostics)
    {
        var ok = true;
        foreach (var (keyNode, _) in mapping.Entries)
        {
            var key = keyNode.Value!;
            var keyPath = KeyPath.Join(path, key);
            if (section.Honoured.Contains(key) || section.Reserved.Contains(key))
            {
                continue;
            }

            if (section.AllowsExtensions && key.StartsWith("x-", StringComparison.Ordinal))
            {
                continue;
            }

            if (section.Ignored.Contains(key))
            {
                diagnostics.Warning(keyNode, keyPath, section.IgnoredMessage);
                continue;
            }

            ok = false;
            var candidates = section.Honoured.Concat(section.Ignored).Concat(section.Reserved).ToList();
            var suggestion = Suggest(key, candidates);
            var valid = string.Join(", ", section.Honoured.Concat(section.Reserved).Order(StringComparer.Ordinal));
            var hint = suggestion is null ? "" : $"did you mean `{suggestion}`? ";
            var what = section.AllowsExtensions ? "is not a compose key" : $"is not a valid {section.Name} key";
            diagnostics.Error(keyNode, keyPath, $"`{key}` {what}; {hint}valid keys: {valid}");
        }

        return ok;
    }

    /// <summary>The closest candidate by edit distance, if close enough to be a likely typo.</summary>
    public static string? Suggest(string key, IEnumerable<string> candidates)
    {
        var threshold = Math.Max(2, key.Length / 3);
        return candidates
            .Select(c => (Candidate: c, Distance: Levenshtein(key, c)))
            .Where(c => c.Distance <= threshold)
            .OrderBy(c => c.Distance)
            .ThenBy(c => c.Candidate, StringComparer.Ordinal)
            .Select(c => c.Candidate)
            .FirstOrDefault();
    }

    public static int Levenshtein(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
