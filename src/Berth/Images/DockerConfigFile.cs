using System.Text;
using System.Text.Json;

namespace Berth.Images;

/// <summary>
/// Docker's <c>config.json</c> (<c>$DOCKER_CONFIG/config.json</c>, else <c>~/.docker/config.json</c>) as far as logins go:
/// the credential helper for a registry (<c>credHelpers</c>, else <c>credsStore</c>) and the <c>auths</c> entries
/// <c>docker login</c> writes without a helper.
/// </summary>
public sealed class DockerConfigFile
{
    private readonly JsonElement? _root;

    private DockerConfigFile(string path, JsonElement? root)
    {
        FilePath = path;
        _root = root;
    }

    public string FilePath { get; }

    /// <exception cref="InvalidOperationException">The file is not valid JSON.</exception>
    public static DockerConfigFile Read(IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var folder = environment.TryGetValue("DOCKER_CONFIG", out var configured) && configured.Length > 0
            ? configured
            : Path.Combine(environment.TryGetValue("HOME", out var home) && home.Length > 0 ? home : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".docker");
        var path = Path.Combine(folder, "config.json");
        if (!File.Exists(path))
        {
            return new DockerConfigFile(path, null);
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            return new DockerConfigFile(path, document.RootElement.Clone());
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"{path} is not a valid docker config.json ({e.Message})", e);
        }
    }

    /// <summary>The helper docker would use for <paramref name="registry"/>, or null (logins then go to <c>auths</c>).</summary>
    public DockerCredentialHelper? HelperFor(string registry)
    {
        if (_root is not { ValueKind: JsonValueKind.Object } root)
        {
            return null;
        }

        var key = RegistryName.Normalize(registry);
        if (root.TryGetProperty("credHelpers", out var helpers) && helpers.ValueKind == JsonValueKind.Object)
        {
            foreach (var entry in helpers.EnumerateObject())
            {
                if (RegistryName.Normalize(entry.Name) == key && entry.Value.GetString() is { Length: > 0 } named)
                {
                    return new DockerCredentialHelper(named);
                }
            }
        }

        return root.TryGetProperty("credsStore", out var store) && store.GetString() is { Length: > 0 } name ? new DockerCredentialHelper(name) : null;
    }

    /// <summary>Every helper the file names (for listing).</summary>
    public IEnumerable<DockerCredentialHelper> Helpers()
    {
        if (_root is not { ValueKind: JsonValueKind.Object } root)
        {
            yield break;
        }

        var names = new SortedSet<string>(StringComparer.Ordinal);
        if (root.TryGetProperty("credsStore", out var store) && store.GetString() is { Length: > 0 } s)
        {
            names.Add(s);
        }

        if (root.TryGetProperty("credHelpers", out var helpers) && helpers.ValueKind == JsonValueKind.Object)
        {
            foreach (var entry in helpers.EnumerateObject())
            {
                if (entry.Value.GetString() is { Length: > 0 } n)
                {
                    names.Add(n);
                }
            }
        }

        foreach (var name in names)
        {
            yield return new DockerCredentialHelper(name);
        }
    }

    /// <summary>Registry → login, from <c>auths</c> (base64 "user:password").</summary>
    public IReadOnlyList<(string Registry, RegistryCredentials Credentials)> Auths()
    {
        var found = new List<(string, RegistryCredentials)>();
        if (_root is not { ValueKind: JsonValueKind.Object } root || !root.TryGetProperty("auths", out var auths) || auths.ValueKind != JsonValueKind.Object)
        {
            return found;
        }

        foreach (var entry in auths.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.Object || !entry.Value.TryGetProperty("auth", out var auth) || auth.GetString() is not { Length: > 0 } encoded)
            {
                continue;
            }

            string pair;
            try
            {
                pair = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
            }
            catch (FormatException e)
            {
                throw new InvalidOperationException($"{FilePath}: auths.{entry.Name}.auth is not base64 ({e.Message})", e);
            }

            var colon = pair.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                found.Add((RegistryName.Normalize(entry.Name), new RegistryCredentials(pair[..colon], pair[(colon + 1)..])));
            }
        }

        return found;
    }
}
