namespace Berth.Images;

/// <summary>How a registry is named once, whatever form it was given in (as docker login normalizes it).</summary>
public static class RegistryName
{
    /// <summary>
    /// <c>https://ghcr.io/</c> → <c>ghcr.io</c>; <c>index.docker.io</c>, <c>registry-1.docker.io</c> → <c>docker.io</c>;
    /// host names lower-cased, the port kept.
    /// </summary>
    public static string Normalize(string registry)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(registry);
        var name = registry.Trim();
        var scheme = name.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            name = name[(scheme + 3)..];
        }

        var slash = name.IndexOf('/', StringComparison.Ordinal);
        name = (slash >= 0 ? name[..slash] : name).ToLowerInvariant();
        return name is "index.docker.io" or "registry-1.docker.io" or "registry.hub.docker.com" ? ImageReference.DockerHub : name;
    }
}
