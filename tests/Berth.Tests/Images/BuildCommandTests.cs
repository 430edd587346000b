using System.Text;
using Berth.Tests.Infrastructure;
using Docker.DotNet;

namespace Berth.Tests.Images;

/// <summary>`berth build` end to end: the real CLI process against the real Docker engine (and a local registry for --push).</summary>
public sealed class BuildCommandTests
{
    [DockerFact]
    public async Task Build_BadInstruction_ExitsOneWithTheEngineMessageAndNoTag()
    {
        using var context = new TempDirectory();
        var image = "berth-test-bad:" + Guid.NewGuid().ToString("N")[..8];
        var compose = ScratchProject(context, image, "FROM scratch\nBOGUS instruction\n");

        var run = await CliRun.RunAsync(["build", "-c", compose]);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("service web: build failed", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("unknown instruction: BOGUS", run.Stderr, StringComparison.OrdinalIgnoreCase);
        Assert.False(await ImageExistsAsync(image));
    }

    [DockerFact]
    public async Task Build_DockerignoredFile_IsNotSentToTheEngine()
    {
        using var context = new TempDirectory();
        var image = "berth-test-ignore:" + Guid.NewGuid().ToString("N")[..8];
        var compose = ScratchProject(context, image, "FROM scratch\nCOPY secret.txt /\n");
        context.File("secret.txt", "do not send");
        context.File(".dockerignore", "secret.txt\n");

        var run = await CliRun.RunAsync(["build", "-c", compose]);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("secret.txt", run.Stderr, StringComparison.Ordinal);
        Assert.False(await ImageExistsAsync(image));
    }

    [DockerFact]
    public async Task Build_PushToRegistryWithoutAuth_RegistryListsTheTag()
    {
        await using var registry = await LocalRegistry.StartAsync();
        using var context = new TempDirectory();
        var tag = Guid.NewGuid().ToString("N")[..8];
        var image = $"{registry.Address}/berth-test/web:{tag}";
        var compose = ScratchProject(context, image, "FROM scratch\nCOPY hello.txt /\n");
        try
        {
            var run = await CliRun.RunAsync(["build", "-c", compose, "--push"], IsolatedDockerConfig(context, null));

            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Contains($"Pushed web: {image}", run.Stdout, StringComparison.Ordinal);
            Assert.Contains(tag, await registry.TagsAsync("berth-test/web"));
        }
        finally
        {
            await RemoveImageAsync(image);
        }
    }

    [DockerFact]
    public async Task Build_PushToRegistryWithAuth_NoOrWrongPasswordIsRefusedRightOneIsPushed()
    {
        await using var registry = await LocalRegistry.StartAsync("berth", "s3cret");
        using var context = new TempDirectory();
        var tag = Guid.NewGuid().ToString("N")[..8];
        var image = $"{registry.Address}/berth-test/auth:{tag}";
        var compose = ScratchProject(context, image, "FROM scratch\nCOPY hello.txt /\n");
        try
        {
            var none = await CliRun.RunAsync(["build", "-c", compose, "--push"], IsolatedDockerConfig(context, null));

            Assert.True(none.ExitCode == 1, none.ToString());
            Assert.Contains($"registry {registry.Address} requires credentials", none.Stderr, StringComparison.Ordinal);

            var wrong = await CliRun.RunAsync(["build", "-c", compose, "--push"], IsolatedDockerConfig(context, (registry.Address, "berth", "not-the-password")));

            Assert.True(wrong.ExitCode == 1, wrong.ToString());
            Assert.Contains($"service web: push of {image} failed", wrong.Stderr, StringComparison.Ordinal);
            Assert.Contains($"registry {registry.Address} refused the credentials for user berth", wrong.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("not-the-password", wrong.Stdout + wrong.Stderr, StringComparison.Ordinal);

            var right = await CliRun.RunAsync(["build", "-c", compose, "--push"], IsolatedDockerConfig(context, (registry.Address, "berth", "s3cret")));

            Assert.True(right.ExitCode == 0, right.ToString());
            Assert.Contains(tag, await registry.TagsAsync("berth-test/auth"));
        }
        finally
        {
            await RemoveImageAsync(image);
        }
    }

    [DockerFact]
    public async Task Build_PushDeniedByTheRegistry_ClearErrorNamingImageAndReason()
    {
        await using var registry = await DenyingRegistry.StartAsync();
        using var context = new TempDirectory();
        var image = $"{registry.Address}/someone-else/app:{Guid.NewGuid().ToString("N")[..8]}";
        var compose = ScratchProject(context, image, "FROM scratch\nCOPY hello.txt /\n");
        try
        {
            var run = await CliRun.RunAsync(["build", "-c", compose, "--push", "--no-git-tag"], IsolatedDockerConfig(context, null));

            Assert.True(run.ExitCode == 1, run.ToString());
            Assert.Contains($"service web: push of {image} failed", run.Stderr, StringComparison.Ordinal);
            Assert.Contains("denied", run.Stderr, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("   at ", run.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("pushed", run.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            await RemoveImageAsync(image);
        }
    }

    [DockerFact]
    public async Task Build_PushRegistryUnreachable_ClearErrorNamingTheRegistry()
    {
        using var context = new TempDirectory();
        var registry = $"127.0.0.1:{LoopbackPort.Free()}";
        var image = $"{registry}/berth-test/app:{Guid.NewGuid().ToString("N")[..8]}";
        var compose = ScratchProject(context, image, "FROM scratch\nCOPY hello.txt /\n");
        try
        {
            var run = await CliRun.RunAsync(["build", "-c", compose, "--push", "--no-git-tag"], IsolatedDockerConfig(context, null));

            Assert.True(run.ExitCode == 1, run.ToString());
            Assert.Contains($"push of {image} failed", run.Stderr, StringComparison.Ordinal);
            Assert.Contains(registry, run.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", run.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            await RemoveImageAsync(image);
        }
    }

    [Fact]
    public async Task Build_NoEngine_ExitsThreeWithAClearMessage()
    {
        using var context = new TempDirectory();
        var compose = ScratchProject(context, "berth-test-noengine:1", "FROM scratch\n");

        var run = await CliRun.RunAsync(["build", "-c", compose], new Dictionary<string, string> { ["DOCKER_HOST"] = "unix:///nonexistent.sock" });

        Assert.True(run.ExitCode == 3, run.ToString());
        Assert.Contains("no Docker engine answers at unix:///nonexistent.sock", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("scripts/start-docker.sh", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Build_UnknownService_ExitsTwoNamingTheServices()
    {
        using var context = new TempDirectory();
        var compose = ScratchProject(context, "berth-test-unknown:1", "FROM scratch\n");

        var run = await CliRun.RunAsync(["build", "-c", compose, "nope"]);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("no service 'nope'", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("services: web", run.Stderr, StringComparison.Ordinal);
    }

    /// <summary>A compose file with one service "web" built from DOCKERFILE in the context folder (plus hello.txt).</summary>
    private static string ScratchProject(TempDirectory context, string image, string dockerfile)
    {
        context.File("Dockerfile", dockerfile);
        context.File("hello.txt", "hello\n");
        return context.File("compose.yml", $"services:\n  web:\n    image: \"{image}\"\n    build:\n      context: .\n      dockerfile: Dockerfile\n");
    }

    /// <summary>DOCKER_CONFIG pointing at a config.json of our own (with a login when given), never the user's.</summary>
    private static Dictionary<string, string> IsolatedDockerConfig(TempDirectory context, (string Registry, string User, string Password)? login)
    {
        var folder = Path.Combine(context.Path, "docker-config-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(folder);
        var auths = login is { } l
            ? $"{{\"auths\":{{\"{l.Registry}\":{{\"auth\":\"{Convert.ToBase64String(Encoding.UTF8.GetBytes($"{l.User}:{l.Password}"))}\"}}}}}}"
            : "{}";
        File.WriteAllText(Path.Combine(folder, "config.json"), auths);
        return new Dictionary<string, string> { ["DOCKER_CONFIG"] = folder };
    }

    internal static async Task<bool> ImageExistsAsync(string image)
    {
        using var docker = DockerEngine.Connect();
        try
        {
            await docker.Images.InspectImageAsync(image);
            return true;
        }
        catch (DockerImageNotFoundException)
        {
            return false;
        }
    }

    internal static async Task RemoveImageAsync(string image)
    {
        using var docker = DockerEngine.Connect();
        try
        {
            await docker.Images.DeleteImageAsync(image, new Docker.DotNet.Models.ImageDeleteParameters { Force = true });
        }
        catch (DockerApiException)
        {
        }
    }
}
