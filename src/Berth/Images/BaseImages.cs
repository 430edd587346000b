using System.Diagnostics;
using Docker.DotNet;

namespace Berth.Images;

/// <summary>
/// The images a Dockerfile starts <c>FROM</c> that no registry here can give: Berth's own base images, made from this
/// host by <c>scripts/base-image.sh</c> (<c>dotnet-base:TAG</c>). Before a build, each one missing on the engine is made
/// on demand, as <c>docker build</c> would pull it; any other missing base is left to the engine's own pull.
/// </summary>
public static class BaseImages
{
    private const string Script = "base-image.sh";

    /// <summary>The images the Dockerfile's <c>FROM</c> lines name, stage names and <c>scratch</c> left out.</summary>
    public static IReadOnlyList<string> FromLines(string dockerfileText)
    {
        ArgumentNullException.ThrowIfNull(dockerfileText);
        var images = new List<string>();
        var stages = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var raw in dockerfileText.ReplaceLineEndings("\n").Split('\n'))
        {
            var words = raw.Trim().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (words.Length < 2 || !words[0].Equals("FROM", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var image = words.Skip(1).FirstOrDefault(w => !w.StartsWith("--", StringComparison.Ordinal));
            if (image is not null && !stages.Contains(image) && image != "scratch" && !image.Contains('$', StringComparison.Ordinal))
            {
                images.Add(image);
            }

            var alias = Array.FindIndex(words, w => w.Equals("AS", StringComparison.OrdinalIgnoreCase));
            if (alias > 0 && alias + 1 < words.Length)
            {
                stages.Add(words[alias + 1]);
            }
        }

        return images.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>Whether Berth knows how to make <paramref name="image"/> here.</summary>
    public static bool IsBerthBase(string image) => image.StartsWith("dotnet-base:", StringComparison.Ordinal);

    /// <summary>
    /// Makes each Berth base image the Dockerfile needs and the engine lacks; null when all are there, else why not.
    /// <paramref name="searchFrom"/> are folders under which <c>scripts/base-image.sh</c> is looked for, walking up.
    /// </summary>
    public static async Task<string?> EnsureAsync(
        IDockerClient docker, string dockerfile, IReadOnlyList<string> searchFrom, string service, IProgress<BuildProgress> progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(docker);
        if (!File.Exists(dockerfile))
        {
            return null;
        }

        foreach (var image in FromLines(await File.ReadAllTextAsync(dockerfile, cancellationToken).ConfigureAwait(false)).Where(IsBerthBase))
        {
            try
            {
                await docker.Images.InspectImageAsync(image, cancellationToken).ConfigureAwait(false);
                continue;
            }
            catch (DockerImageNotFoundException)
            {
            }

            if (FindScript(searchFrom) is not { } script)
            {
                return $"the base image {image} is not on this engine, and no scripts/{Script} was found to make it (from Berth's repository: scripts/{Script} --tag {image})";
            }

            progress.Report(new BuildProgress(service, BuildProgressKind.Status, $"base image {image} is missing: making it with {script}"));
            if (await RunAsync(script, image, service, progress, cancellationToken).ConfigureAwait(false) is { } failed)
            {
                return failed;
            }
        }

        return null;
    }

    private static string? FindScript(IReadOnlyList<string> searchFrom)
    {
        foreach (var start in searchFrom)
        {
            for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
            {
                var candidate = Path.Combine(folder.FullName, "scripts", Script);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    private static async Task<string?> RunAsync(string script, string image, string service, IProgress<BuildProgress> progress, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("bash");
        start.ArgumentList.Add(script);
        start.ArgumentList.Add("--tag");
        start.ArgumentList.Add(image);
        var exitCode = await StreamedProcess.RunAsync(start, service, progress, cancellationToken).ConfigureAwait(false);
        return exitCode == 0 ? null : $"making the base image {image} with {script} failed (exit code {exitCode})";
    }
}
