using System.Formats.Tar;
using System.Text.Json;
using Berth.Tests.Infrastructure;
using Docker.DotNet.Models;
using Xunit.Abstractions;

namespace Berth.Tests.Swarm;

/// <summary>
/// On the Swarm runtime a release pins its image by digest: a tag moved in the registry afterwards changes nothing
/// until the file is deployed again (then a new release, saying the digest changed), and a rollback runs the old
/// digest, not what the tag points to now. An image never pushed is pinned to this engine's image ID, with a warning.
/// </summary>
[Collection(SwarmCollection.Name)]
public sealed class ImagePinningSwarmTests(ITestOutputHelper log)
{
    [DockerFact]
    public async Task MovedTag_NoNewReleaseUntilDeployedAgain_ThenANewDigest_RollbackRunsTheOldDigest()
    {
        Assert.Null(LocalRegistry.Problem());
        await using var registry = await LocalRegistry.StartAsync();
        var image = $"{registry.Address}/berth-test/pinned:{Guid.NewGuid().ToString("N")[..8]}";
        using var docker = DockerEngine.Connect();
        var first = await PushVariantAsync(docker, image, "a");

        var stack = "pin" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(3));
        var port = LoopbackPort.Free();
        using var dir = new TempDirectory();
        var compose = dir.File("compose.yml", PlacementErrorTests.Compose(port, version: 1, constraint: null, image: image));
        await using var cleanup = new SwarmStackCleanup(stack);
        await using var server = await BerthServerProcess.StartAsync("--runtime", "swarm");

        var deployed = await server.CliAsync("deploy", "-c", compose, stack);
        Assert.True(deployed.ExitCode == 0, deployed + "\nserver:\n" + server.Output);
        await server.WaitForReplicasAsync(stack, r => r.Any(x => x.Release == 1 && x.Health == "healthy"), TimeSpan.FromSeconds(60), "release 1 healthy");
        Assert.Equal(first, Assert.Single(await ReleasesAsync(server, stack)).Digest);
        Assert.Equal($"{image}@{first}", await RunningImageAsync(cleanup, release: 1));

        var second = await PushVariantAsync(docker, image, "b");
        Assert.NotEqual(first, second);
        Assert.Single(await ReleasesAsync(server, stack));

        var again = await server.CliAsync("deploy", "-c", compose, stack);
        Assert.True(again.ExitCode == 0, again + "\nserver:\n" + server.Output);
        log.WriteLine(again.Stdout);
        Assert.Contains($"image digest: {first[..19]} → {second[..19]}", again.Stdout, StringComparison.Ordinal);
        await server.WaitForReplicasAsync(stack, r => r.Any(x => x.Release == 2 && x.Health == "healthy") && r.All(x => x.Release == 2), TimeSpan.FromSeconds(90), "release 2 alone");
        Assert.Equal([first, second], (await ReleasesAsync(server, stack)).OrderBy(r => r.Number).Select(r => r.Digest));
        Assert.Equal($"{image}@{second}", await RunningImageAsync(cleanup, release: 2));

        var rollback = await server.CliAsync("rollback", $"{stack}_app", "--to", "1");
        Assert.True(rollback.ExitCode == 0, rollback + "\nserver:\n" + server.Output);
        await server.WaitForReplicasAsync(stack, r => r.Any(x => x.Release == 1 && x.Health == "healthy") && r.All(x => x.Release == 1), TimeSpan.FromSeconds(90), "release 1 alone again");
        Assert.Equal($"{image}@{first}", await RunningImageAsync(cleanup, release: 1));

        var table = await server.CliAsync("releases", $"{stack}_app");
        Assert.Contains(first[..19], table.Stdout, StringComparison.Ordinal);
        Assert.Contains("DIGEST", table.Stdout, StringComparison.Ordinal);
    }

    [DockerFact]
    public async Task ImageNeverPushed_PinnedToTheLocalImageId_WithAWarning()
    {
        using var docker = DockerEngine.Connect();
        var local = await docker.Images.InspectImageAsync(ArticlesImage.Tag);
        var stack = "pln" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(3));
        var port = LoopbackPort.Free();
        using var dir = new TempDirectory();
        await using var cleanup = new SwarmStackCleanup(stack);
        await using var server = await BerthServerProcess.StartAsync("--runtime", "swarm");

        var deployed = await server.CliAsync("deploy", "-c", dir.File("compose.yml", PlacementErrorTests.Compose(port, version: 1, constraint: null)), stack);

        Assert.True(deployed.ExitCode == 0, deployed + "\nserver:\n" + server.Output);
        Assert.Contains($"warning: services.app.image: {ArticlesImage.Tag} was never pushed to a registry", deployed.Stderr, StringComparison.Ordinal);
        Assert.Contains(local.ID[..19], deployed.Stderr, StringComparison.Ordinal);
        var release = Assert.Single(await ReleasesAsync(server, stack));
        Assert.Equal(local.ID, release.Digest);
        await server.WaitForReplicasAsync(stack, r => r.Any(x => x.Release == 1 && x.Health == "healthy"), TimeSpan.FromSeconds(60), "release 1 healthy");
        Assert.Equal(local.ID, await RunningImageAsync(cleanup, release: 1));
        Assert.Contains("(local)", (await server.CliAsync("releases", $"{stack}_app")).Stdout, StringComparison.Ordinal);
    }

    /// <summary>Builds the test image with one more label (another image, same app), pushes it as <paramref name="image"/>, returns its digest.</summary>
    private static async Task<string> PushVariantAsync(Docker.DotNet.DockerClient docker, string image, string variant)
    {
        using var context = new MemoryStream();
        await using (var tar = new TarWriter(context, TarEntryFormat.Pax, leaveOpen: true))
        {
            var dockerfile = new PaxTarEntry(TarEntryType.RegularFile, "Dockerfile")
            {
                DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes($"FROM {ArticlesImage.Tag}\nLABEL berth.test.variant={variant}-{Guid.NewGuid():N}\n")),
            };
            await tar.WriteEntryAsync(dockerfile);
        }

        context.Position = 0;
        var errors = new List<string>();
        await docker.Images.BuildImageFromDockerfileAsync(
            new ImageBuildParameters { Tags = [image], Remove = true }, context, authConfigs: null, headers: null, new BuildErrors(errors));
        Assert.True(errors.Count == 0, $"building {image} failed: {string.Join("; ", errors)}");
        var colon = image.LastIndexOf(':');
        await docker.Images.PushImageAsync(image[..colon], new ImagePushParameters { Tag = image[(colon + 1)..] }, new AuthConfig(), new BuildErrors(errors));
        Assert.True(errors.Count == 0, $"pushing {image} failed: {string.Join("; ", errors)}");
        var pushed = await docker.Images.InspectImageAsync(image);
        var repoDigest = pushed.RepoDigests.Single(d => d.StartsWith(image[..colon] + "@", StringComparison.Ordinal));
        return repoDigest[(repoDigest.IndexOf('@', StringComparison.Ordinal) + 1)..];
    }

    private static async Task<List<Berth.Api.ReleaseInfo>> ReleasesAsync(BerthServerProcess server, string stack)
    {
        var listed = await server.CliAsync("releases", $"{stack}_app", "--json");
        Assert.True(listed.ExitCode == 0, listed.ToString());
        return JsonSerializer.Deserialize<List<Berth.Api.ReleaseInfo>>(listed.Stdout, Berth.Api.ApiJson.Options)!;
    }

    /// <summary>The image the Swarm service of a replica of <paramref name="release"/> was created with.</summary>
    private static async Task<string?> RunningImageAsync(SwarmStackCleanup cleanup, int release) =>
        (await cleanup.ServicesAsync())
            .Where(s => s.Spec?.Labels?.TryGetValue("berth.release", out var r) == true && r == release.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Select(s => s.Spec!.TaskTemplate?.ContainerSpec?.Image)
            .Distinct()
            .Single();
}
