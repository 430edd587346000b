using System.Formats.Tar;
using System.Security.Cryptography;
using Berth.Tests.Infrastructure;
using Docker.DotNet.Models;

namespace Berth.Tests.Swarm;

/// <summary>
/// Builds <c>berth-articles:test</c> once per test run through the Engine API: examples/articles/Dockerfile with the
/// example app's build output as its <c>publish/</c> folder (the Dockerfile starts FROM dotnet-base:10, made by
/// scripts/base-image.sh). Skips the build when an image of the same Articles.dll exists.
/// </summary>
public sealed class ArticlesImage : IAsyncLifetime
{
    public const string Tag = "berth-articles:test";
    private const string SourceLabel = "berth.test.source";

    public async Task InitializeAsync()
    {
        if (DockerEngine.Problem() is not null)
        {
            return;
        }

        using var docker = DockerEngine.Connect();
        var appFolder = Path.GetDirectoryName(RepoPaths.ArticlesDll)!;
        var hash = Convert.ToHexStringLower(await SHA256.HashDataAsync(File.OpenRead(RepoPaths.ArticlesDll)))[..16];
        try
        {
            var existing = await docker.Images.InspectImageAsync(Tag);
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
            await tar.WriteEntryAsync(Path.Combine(RepoPaths.Root, "examples", "articles", "Dockerfile"), "Dockerfile");
            foreach (var file in Directory.EnumerateFiles(appFolder, "*", SearchOption.AllDirectories))
            {
                await tar.WriteEntryAsync(file, "publish/" + Path.GetRelativePath(appFolder, file).Replace('\\', '/'));
            }
        }

        context.Position = 0;
        var errors = new List<string>();
        await docker.Images.BuildImageFromDockerfileAsync(
            new ImageBuildParameters { Tags = [Tag], Labels = new Dictionary<string, string> { [SourceLabel] = hash }, Remove = true },
            context,
            authConfigs: null,
            headers: null,
            new BuildErrors(errors));
        if (errors.Count > 0)
        {
            throw new InvalidOperationException($"building {Tag} failed (is dotnet-base:10 there? scripts/base-image.sh): {string.Join("; ", errors)}");
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>The Dockerfile's base, dotnet-base:10: made by scripts/base-image.sh (from the host's .NET) when missing.</summary>
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

/// <summary>Docker tests share the engine's one node and the example image: they run one after another.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SwarmCollection : ICollectionFixture<ArticlesImage>
{
    public const string Name = "Swarm";
}
