using System.Text;
using System.Text.Json;

namespace Berth.Images;

/// <summary>A user name and password for one registry (never logged; <see cref="ToString"/> hides the password).</summary>
public sealed record RegistryCredentials(string Username, string Password)
{
    public override string ToString() => $"{Username}:***";

    /// <summary>This machine's login for <paramref name="registry"/> (<see cref="RegistryCredentialChain"/>), or null.</summary>
    public static async Task<RegistryCredentials?> ForPushAsync(
        string registry, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken) =>
        (await RegistryCredentialChain.FindAsync(registry, environment, cancellationToken).ConfigureAwait(false))?.Credentials;

    /// <summary>
    /// The credentials docker's <c>config.json</c> holds for <paramref name="registry"/> (<c>auths.REGISTRY.auth</c>,
    /// base64 "user:password", as <c>docker login</c> writes it), or null. The file is
    /// <c>$DOCKER_CONFIG/config.json</c>, else <c>~/.docker/config.json</c>. Credential helpers (credsStore) are not read.
    /// </summary>
    public static async Task<RegistryCredentials?> FromDockerConfigAsync(
        string registry, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        var folder = environment.TryGetValue("DOCKER_CONFIG", out var configured) && configured.Length > 0
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".docker");
        var path = Path.Combine(folder, "config.json");
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            await using var stream = File.OpenRead(path);
            using var document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (!document.RootElement.TryGetProperty("auths", out var auths) || auths.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            foreach (var entry in auths.EnumerateObject())
            {
                if (SameRegistry(entry.Name, registry) && entry.Value.TryGetProperty("auth", out var auth) && auth.GetString() is { Length: > 0 } encoded)
                {
                    var pair = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
                    var colon = pair.IndexOf(':', StringComparison.Ordinal);
                    return colon > 0 ? new RegistryCredentials(pair[..colon], pair[(colon + 1)..]) : null;
                }
            }

            return null;
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            throw new InvalidOperationException($"{path} is not a valid docker config.json ({e.Message})", e);
        }
    }

    private static bool SameRegistry(string key, string registry)
    {
        var host = key.Replace("https://", "", StringComparison.Ordinal).Replace("http://", "", StringComparison.Ordinal).TrimEnd('/');
        var slash = host.IndexOf('/', StringComparison.Ordinal);
        host = slash > 0 ? host[..slash] : host;
        return string.Equals(host, registry, StringComparison.OrdinalIgnoreCase)
            || (registry == ImageReference.DockerHub && host is "index.docker.io" or "registry-1.docker.io");
    }
}
