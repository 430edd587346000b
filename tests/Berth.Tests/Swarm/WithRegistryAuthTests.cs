using System.Text.Json;
using Berth.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Berth.Tests.Swarm;

/// <summary>
/// `berth deploy --with-registry-auth`: the CLI sends its login for the stack's registries (here from
/// BERTH_REGISTRY_USER / BERTH_REGISTRY_PASSWORD), the server checks it with the registry, keeps it encrypted and pulls
/// with it, though its own docker config has no login; a wrong password refuses the deploy, nothing written, and no
/// password appears anywhere; the server lists the login without its password.
/// </summary>
[Collection(SwarmCollection.Name)]
public sealed class WithRegistryAuthTests(ITestOutputHelper log)
{
    [DockerFact]
    public async Task Deploy_WithRegistryAuth_ServerKeepsTheLoginAndPullsWithIt_WrongPasswordRefusedWithNothingWritten()
    {
        Assert.Null(LocalRegistry.Problem(withAuth: true));
        await using var registry = await LocalRegistry.StartAsync("berth", "s3cret-pull");
        var image = $"{registry.Address}/berth-test/articles:{Guid.NewGuid().ToString("N")[..8]}";
        await RegistryAuthDeployTests.PushArticlesAsync(image, registry.Address, "berth", "s3cret-pull");

        var stack = "wra" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(3));
        var port = LoopbackPort.Free();
        using var dir = new TempDirectory();
        var emptyDockerConfig = Path.Combine(dir.Path, "server-docker-config");
        Directory.CreateDirectory(emptyDockerConfig);
        var compose = dir.File("compose.yml", PlacementErrorTests.Compose(port, version: 1, constraint: null, image: image, monitor: "5s"));
        await using var cleanup = new SwarmStackCleanup(stack);
        await using var server = await BerthServerProcess.StartAsync(new Dictionary<string, string> { ["DOCKER_CONFIG"] = emptyDockerConfig }, "--runtime", "swarm");
        var clientDockerConfig = Path.Combine(dir.Path, "client-docker-config");
        Directory.CreateDirectory(clientDockerConfig);

        var wrong = await server.CliAsync(
            new Dictionary<string, string> { ["BERTH_REGISTRY_USER"] = "berth", ["BERTH_REGISTRY_PASSWORD"] = "not-it-9931", ["DOCKER_CONFIG"] = clientDockerConfig },
            "deploy", "--with-registry-auth", "-c", compose, stack);

        log.WriteLine(wrong.ToString());
        Assert.True(wrong.ExitCode == 2, wrong.ToString());
        Assert.Contains($"registry {registry.Address} refused the credentials for user berth", wrong.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("not-it-9931", wrong.Stdout + wrong.Stderr + server.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(stack, await server.Http.GetStringAsync(Berth.Api.ApiRoutes.Stacks), StringComparison.Ordinal);
        Assert.Equal("[]", (await server.Http.GetStringAsync(Berth.Api.ApiRoutes.Registries)).Trim());

        var right = await server.CliAsync(
            new Dictionary<string, string> { ["BERTH_REGISTRY_USER"] = "berth", ["BERTH_REGISTRY_PASSWORD"] = "s3cret-pull", ["DOCKER_CONFIG"] = clientDockerConfig },
            "deploy", "--with-registry-auth", "-c", compose, stack);

        Assert.True(right.ExitCode == 0, right + "\nserver:\n" + server.Output);
        await server.WaitForReplicasAsync(stack, r => r.Any(x => x.Release == 1 && x.Health == "healthy"), TimeSpan.FromSeconds(60), "release 1 healthy");
        var release = JsonSerializer.Deserialize<List<Berth.Api.ReleaseInfo>>((await server.CliAsync("releases", $"{stack}_app", "--json")).Stdout, Berth.Api.ApiJson.Options)!;
        Assert.StartsWith($"{image}@sha256:", Assert.Single(release).PinnedImage, StringComparison.Ordinal);
        var listed = await server.Http.GetStringAsync(Berth.Api.ApiRoutes.Registries);
        Assert.Contains($"\"registry\":\"{registry.Address}\"", listed, StringComparison.Ordinal);
        Assert.Contains("\"username\":\"berth\"", listed, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-pull", listed + right.Stdout + right.Stderr + server.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-pull", await File.ReadAllTextAsync(Path.Combine(server.DataDirectory, Berth.Images.RegistryLoginStore.FileName)), StringComparison.Ordinal);
    }
}
