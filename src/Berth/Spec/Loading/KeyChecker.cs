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
            var suggestion = NearestName.Find(key, candidates);
            var valid = string.Join(", ", section.Honoured.Concat(section.Reserved).Order(StringComparer.Ordinal));
            var hint = suggestion is null ? "" : $"did you mean `{suggestion}`? ";
            var what = section.AllowsExtensions ? "is not a compose key" : $"is not a valid {section.Name} key";
            diagnostics.Error(keyNode, keyPath, $"`{key}` {what}; {hint}valid keys: {valid}");
        }

        return ok;
    }
}
