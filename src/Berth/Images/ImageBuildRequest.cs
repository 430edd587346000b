using System.Text;
using Berth.Spec;

namespace Berth.Images;

/// <summary>What to build for one service: its <c>build:</c> section and the tag the image gets.</summary>
public sealed record ImageBuildRequest(string Service, string Image, BuildSpec Build)
{
    /// <summary>The service's <c>x-berth.artifact</c>: run in the context before the image is built from it.</summary>
    public ArtifactSpec? Artifact { get; init; }

    /// <summary>The Dockerfile's path inside the context (default <c>Dockerfile</c>).</summary>
    public string Dockerfile => string.IsNullOrEmpty(Build.Dockerfile) ? "Dockerfile" : Build.Dockerfile;

    /// <summary>
    /// One request per service with a <c>build:</c> section, in file order; <paramref name="services"/> narrows the list
    /// (unknown names and services without <c>build:</c> are errors, all reported together).
    /// </summary>
    public static (IReadOnlyList<ImageBuildRequest> Requests, IReadOnlyList<string> Errors) Select(
        ComposeSpec spec, IReadOnlyList<string> services, string project)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var errors = new List<string>();
        foreach (var name in services.Where(n => !spec.Services.ContainsKey(n)))
        {
            errors.Add($"no service '{name}' in the compose files (services: {string.Join(", ", spec.Services.Keys)})");
        }

        foreach (var name in services.Where(n => spec.Services.TryGetValue(n, out var s) && s.Build is null))
        {
            errors.Add($"service '{name}' has no build: section, so there is nothing to build");
        }

        var requests = spec.Services.Values
            .Where(s => s.Build is not null && (services.Count == 0 || services.Contains(s.Name)))
            .Select(s => new ImageBuildRequest(s.Name, s.Image ?? DefaultImage(project, s.Name), s.Build!) { Artifact = s.Berth.Artifact })
            .ToList();
        return (requests, errors);
    }

    /// <summary>The tag of a service without <c>image:</c>: <c>PROJECT-SERVICE</c>, as Compose v2 names it (v1 used '_').</summary>
    public static string DefaultImage(string project, string service) => $"{project}-{service}".ToLowerInvariant();

    /// <summary>
    /// The project name as Compose picks it: the file's top-level <c>name</c>, else <c>COMPOSE_PROJECT_NAME</c>, else the
    /// folder of the first compose file; lower-cased, keeping only a-z, 0-9, '-' and '_'.
    /// </summary>
    public static string ProjectName(ComposeSpec spec, IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var raw = spec.Name is { Length: > 0 } name ? name
            : environment.TryGetValue("COMPOSE_PROJECT_NAME", out var env) && env.Length > 0 ? env
            : spec.SourceFiles.Count > 0 ? Path.GetFileName(Path.GetDirectoryName(spec.SourceFiles[0])) ?? "default"
            : "default";
        var clean = new StringBuilder();
        foreach (var c in raw.ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c) || (clean.Length > 0 && c is '-' or '_'))
            {
                clean.Append(c);
            }
        }

        return clean.Length > 0 ? clean.ToString() : "default";
    }
}
