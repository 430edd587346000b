using System.Text;
using Berth.Tests.Infrastructure;
using Xunit.Abstractions;
using Docker.DotNet.Models;

namespace Berth.Tests.Swarm;

/// <summary>
/// A release whose image is in a private registry: the Swarm runtime creates its service with the login `docker login`
/// stored in the server's DOCKER_CONFIG (X-Registry-Auth). A login the registry refuses fails the deploy naming the
/// service and the registry, and the previous release keeps serving; the right login deploys.
/// </summary>
[Collection(SwarmCollection.Name)]
public sealed class RegistryAuthDeployTests(ITestOutputHelper log)
{
    [DockerFact]
    public async Task Deploy_PrivateRegistryRefusesTheLogin_FailsNamingServiceAndRegistry_RightLoginDeploys()
    {
        Assert.Null(LocalRegistry.Problem(withAuth: true));
        await using var registry = await LocalRegistry.StartAsync("berth", "s3cret");
        var image = $"{registry.Address}/berth-test/articles:{Guid.NewGuid().ToString("N")[..8]}";
        await PushArticlesAsync(image, registry.Address);

        var stack = "sra" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(3));
        var port = LoopbackPort.Free();
        using var dir = new TempDirectory();
        var config = Path.Combine(dir.Path, "docker-config");
        Directory.CreateDirectory(config);
        await WriteLoginAsync(config, registry.Address, "berth", "not-the-password");
        await using var cleanup = new SwarmStackCleanup(stack);
        await using var server = await BerthServerProcess.StartAsync(new Dictionary<string, string> { ["DOCKER_CONFIG"] = config }, "--runtime", "swarm");

        var first = await server.CliAsync("deploy", "-c", dir.File("v1.yml", PlacementErrorTests.Compose(port, version: 1, constraint: null)), stack);
        Assert.True(first.ExitCode == 0, first + "\nserver:\n" + server.Output);
        await server.WaitForReplicasAsync(stack, r => r.Any(x => x.Release == 1 && x.Health == "healthy"), TimeSpan.FromSeconds(60), "release 1 healthy");

        var privateCompose = dir.File("v2.yml", PlacementErrorTests.Compose(port, version: 2, constraint: null, image: image, monitor: "45s"));
        var refused = await server.CliAsync("deploy", "-c", privateCompose, stack);

        var output = refused.Stdout + refused.Stderr;
        var said = output + "\n" + string.Join('\n', (await server.EventsAsync()).Select(e => e.Message));
        log.WriteLine(said);
        Assert.True(refused.ExitCode != 0, refused.ToString());
        Assert.True(said.Contains($"service {stack}_app: registry {registry.Address} refused the credentials for user berth", StringComparison.Ordinal), $"missing {$"service {stack}_app: registry {registry.Address} refused the credentials for user berth"} in:\n{said}");
        Assert.True(said.Contains("docker login", StringComparison.Ordinal), $"missing {"docker login"} in:\n{said}");
        Assert.DoesNotContain("not-the-password", said + server.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        Assert.Contains(await server.ReplicasAsync(stack), r => r.Release == 1 && r.Health == "healthy");
        Assert.All(await PlacementErrorTests.ServedByAsync(port, 4), s => Assert.StartsWith("release=1;", s, StringComparison.Ordinal));

        await WriteLoginAsync(config, registry.Address, "berth", "s3cret");
        var accepted = await server.CliAsync("deploy", "-c", privateCompose, stack);

        Assert.True(accepted.ExitCode == 0, accepted + "\nserver:\n" + server.Output);
        Assert.All(await PlacementErrorTests.ServedByAsync(port, 4), s => Assert.DoesNotContain("release=1;", s, StringComparison.Ordinal));
        Assert.DoesNotContain("s3cret", server.Output, StringComparison.Ordinal);
    }

    private static Task WriteLoginAsync(string folder, string registry, string user, string password) =>
        File.WriteAllTextAsync(
            Path.Combine(folder, "config.json"),
            $"{{\"auths\":{{\"{registry}\":{{\"auth\":\"{Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"))}\"}}}}}}");

    /// <summary>Pushes the test image as <paramref name="image"/>, then drops the local name: Swarm must pull it.</summary>
    internal static async Task PushArticlesAsync(string image, string registry, string user = "berth", string password = "s3cret")
    {
        using var docker = DockerEngine.Connect();
        var colon = image.LastIndexOf(':');
        var (repository, tag) = (image[..colon], image[(colon + 1)..]);
        await docker.Images.TagImageAsync(ArticlesImage.Tag, new ImageTagParameters { RepositoryName = repository, Tag = tag });
        try
        {
            var errors = new List<string>();
            await docker.Images.PushImageAsync(
                repository,
                new ImagePushParameters { Tag = tag },
                new AuthConfig { Username = user, Password = password, ServerAddress = registry },
                new BuildErrors(errors));
            Assert.True(errors.Count == 0, $"pushing {image} failed: {string.Join("; ", errors)}");
        }
        finally
        {
            await docker.Images.DeleteImageAsync(image, new ImageDeleteParameters { NoPrune = true });
        }
    }
}
