namespace Berth.Images;

/// <summary>An image name split as Docker does: [REGISTRY/]REPOSITORY[:TAG] (a digest is kept in the repository).</summary>
public sealed record ImageReference(string? Registry, string Repository, string Tag)
{
    /// <summary>Docker Hub's address, used when the name has no registry part.</summary>
    public const string DockerHub = "docker.io";

    /// <summary>The registry to authenticate against: the explicit one, or Docker Hub.</summary>
    public string RegistryOrDefault => Registry ?? DockerHub;

    /// <summary>REGISTRY/REPOSITORY without the tag: the name the Engine API's push takes.</summary>
    public string Name => Registry is null ? Repository : Registry + "/" + Repository;

    public override string ToString() => Name + ":" + Tag;

    /// <summary>Parses an image name; the tag defaults to <c>latest</c>.</summary>
    public static ImageReference Parse(string image)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(image);
        string? registry = null;
        var rest = image;
        var slash = image.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0)
        {
            var first = image[..slash];
            // As Docker: the first part is a registry when it has a '.' or ':' or is "localhost".
            if (first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost")
            {
                registry = first;
                rest = image[(slash + 1)..];
            }
        }

        var colon = rest.LastIndexOf(':');
        return colon > rest.LastIndexOf('/') && colon > 0 && !rest.Contains('@', StringComparison.Ordinal)
            ? new ImageReference(registry, rest[..colon], rest[(colon + 1)..])
            : new ImageReference(registry, rest, "latest");
    }
}
