using System.Text.Json;
using Berth.Api;
using Berth.Spec;

namespace Berth.Releases;

/// <summary>Says in a few words what changed between two releases of a service ("environment.ARTICLES_VERSION: 1 → 2").</summary>
public static class ReleaseDiff
{
    private const int MaxChanges = 4;

    public static string Describe(ServiceSpec? previous, ServiceSpec next) => Describe(previous, next, [], []);

    /// <summary>
    /// As <see cref="Describe(ServiceSpec?, ServiceSpec)"/>, also naming secrets whose content (or external name)
    /// changed: "secrets.db_password: changed" (never a content or a hash).
    /// </summary>
    public static string Describe(ServiceSpec? previous, ServiceSpec next, IReadOnlyList<ReleaseSecret> previousSecrets, IReadOnlyList<ReleaseSecret> nextSecrets)
    {
        ArgumentNullException.ThrowIfNull(previousSecrets);
        ArgumentNullException.ThrowIfNull(nextSecrets);
        if (previous is null)
        {
            return "first release";
        }

        var before = Flatten(JsonSerializer.SerializeToElement(ReleaseFingerprint.WhatReplicasRun(previous), ApiJson.Options));
        var after = Flatten(JsonSerializer.SerializeToElement(ReleaseFingerprint.WhatReplicasRun(next), ApiJson.Options));
        var changes = new List<string>();
        foreach (var key in before.Keys.Union(after.Keys).Order(StringComparer.Ordinal))
        {
            before.TryGetValue(key, out var old);
            after.TryGetValue(key, out var @new);
            if (old != @new)
            {
                changes.Add(
                    key == PinnedImageKey ? $"image digest: {ShortDigest(old)} → {ShortDigest(@new)}"
                    : key.EndsWith(".artifactDigest", StringComparison.Ordinal) ? $"artifact: {ShortDigest(old)} → {ShortDigest(@new)}"
                    : LooksSecret(key) ? $"{key}: changed"
                    : $"{key}: {Short(old)} → {Short(@new)}");
            }
        }

        foreach (var secret in nextSecrets.OrderBy(s => s.Source, StringComparer.Ordinal))
        {
            var earlier = previousSecrets.FirstOrDefault(s => s.Source == secret.Source);

            // Granted before too, but changed, or written before releases carried secrets (nothing to compare).
            if (earlier is null ? previous.Secrets.Any(s => s.Source == secret.Source) : earlier != secret)
            {
                changes.Add($"secrets.{secret.Source}: changed");
            }
        }

        if (changes.Count == 0)
        {
            return "no change";
        }

        var shown = string.Join("; ", changes.Take(MaxChanges));
        return changes.Count > MaxChanges ? $"{shown}; and {changes.Count - MaxChanges} more" : shown;
    }

    /// <summary>The spec's pinned image: a moved tag shows as its digest changing, not as two long references.</summary>
    private const string PinnedImageKey = "pinnedImage";

    private static string ShortDigest(string? pinned) =>
        Images.ImagePin.DigestOf(pinned) is { } digest ? Images.ImagePin.Short(digest) : "(none)";

    private static bool LooksSecret(string key) =>
        SecretWords.Any(word => key.Contains(word, StringComparison.OrdinalIgnoreCase));

    private static readonly string[] SecretWords = ["PASSWORD", "SECRET", "TOKEN", "KEY", "PAT", "CREDENTIAL"];

    private static string Short(string? value) => value is null ? "(none)" : value.Length <= 40 ? value : value[..37] + "...";

    private static Dictionary<string, string> Flatten(JsonElement root)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        Walk(root, "", values);
        return values;
    }

    private static void Walk(JsonElement element, string path, Dictionary<string, string> values)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    Walk(property.Value, path.Length == 0 ? property.Name : $"{path}.{property.Name}", values);
                }

                break;
            case JsonValueKind.Array:
                values[path] = element.GetRawText();
                break;
            case JsonValueKind.Null:
                break;
            default:
                values[path] = element.ValueKind == JsonValueKind.String ? element.GetString()! : element.GetRawText();
                break;
        }
    }
}
