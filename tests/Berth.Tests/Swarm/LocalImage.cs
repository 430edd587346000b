using System.Formats.Tar;
using System.Security.Cryptography;
using Berth.Tests.Infrastructure;
using Docker.DotNet.Models;

namespace Berth.Tests.Swarm;

/// <summary>
/// Builds a test image through the Engine API from a Dockerfile and a build output folder (no SDK image is available
/// offline): the folder goes into the context under a name the Dockerfile copies. Skipped when an image of the same
/// source (a hash of the given files, kept as a label) exists. dotnet-base:10 is made first when missing.
/// </summary>
internal static class LocalImage
{
    private const string SourceLabel = "berth.test.source";

    public static async Task EnsureAsync(string tag, string dockerfile, string folder, string contextFolder, params string[] sourceFiles)
    {
        using var docker = DockerEngine.Connect();
        var hash = await HashAsync(sourceFiles);
        try
        {
            var existing = await docker.Images.InspectImageAsync(tag);
            if (existing.Config?.Labels?.TryGetValue(SourceLabel, out var built) == true && built == hash)
            {
                return;
            }
        }
        catch (Docker.DotNet.DockerImageNotFoundException)
        {
        }

        await EnsureBaseImageAsync(docker);
        using var context = new MemoryStream();
        await using (var tar = new TarWriter(context, TarEntryFormat.Pax, leaveOpen: true))
        {
            await tar.WriteEntryAsync(dockerfile, "Dockerfile");
            foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
            {
                await tar.WriteEntryAsync(file, contextFolder + "/" + Path.GetRelativePath(folder, file).Replace('\\', '/'));
            }
        }

        context.Position = 0;
        var errors = new List<string>();
        await docker.Images.BuildImageFromDockerfileAsync(
            new ImageBuildParameters { Tags = [tag], Labels = new Dictionary<string, string> { [SourceLabel] = hash }, Remove = true },
            context,
            authConfigs: null,
            headers: null,
            new BuildErrors(errors));
        if (errors.Count > 0)
        {
            throw new InvalidOperationException($"building {tag} failed (is dotnet-base:10 there? scripts/base-image.sh): {string.Join("; ", errors)}");
        }
    }

    private static async Task<string> HashAsync(IEnumerable<string> files)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in files)
        {
            sha.AppendData(await File.ReadAllBytesAsync(file));
        }

        return Convert.ToHexStringLower(sha.GetHashAndReset())[..16];
    }

    /// <summary>The Dockerfiles' base, dotnet-base:10: made by scripts/base-image.sh (from the host's .NET) when missing.</summary>
    private static async Task EnsureBaseImageAsync(Docker.DotNet.DockerClient docker)
    {
        try
        {
            await docker.Images.InspectImageAsync("dotnet-base:10");
            return;
        }
        catch (Docker.DotNet.DockerImageNotFoundException)
        {
        }

        var script = Path.Combine(RepoPaths.Root, "scripts", "base-image.sh");
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("bash", [script])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"scripts/base-image.sh failed (exit {process.ExitCode}):\n{await output}\n{await errors}");
        }
    }
}

/// <summary>Collects a build's error messages as they arrive (synchronously, unlike Progress&lt;T&gt;).</summary>
internal sealed class BuildErrors(List<string> errors) : IProgress<JSONMessage>
{
    public void Report(JSONMessage value)
    {
        if (value.Error?.Message is { Length: > 0 } message)
        {
            errors.Add(message);
        }
    }
}
