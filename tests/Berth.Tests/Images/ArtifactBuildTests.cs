using Berth.Images;
using Berth.Tests.Infrastructure;
using Docker.DotNet;

namespace Berth.Tests.Images;

/// <summary>
/// `berth build` works by itself: a service's x-berth.artifact.command runs in its build context before the image is
/// built (the example publishes the app, then its Dockerfile copies publish/), a failed command stops the build with no
/// tag, and a Berth base image the Dockerfile starts FROM is made when the engine lacks it.
/// </summary>
public sealed class ArtifactBuildTests
{
    [DockerFact]
    public async Task Build_TheExampleAsCloned_RunsItsArtifactCommandThenBuildsTheImage()
    {
        var example = Path.Combine(RepoPaths.Root, "examples", "articles");
        var publish = Path.Combine(example, "publish");
        if (Directory.Exists(publish))
        {
            Directory.Delete(publish, recursive: true);
        }

        var image = "articles:buildtest-" + Guid.NewGuid().ToString("N")[..8];
        var gitTag = "";
        try
        {
            var run = await CliRun.RunAsync(
                ["build", "-c", Path.Combine(example, "docker-compose.yml")],
                new Dictionary<string, string> { ["ARTICLES_VERSION"] = image.Split(':')[1] });

            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Contains("app | artifact: dotnet publish src/Articles", run.Stdout, StringComparison.Ordinal);
            Assert.Contains("app | Step 1/", run.Stdout, StringComparison.Ordinal);
            Assert.Contains($"Built app: {image}", run.Stdout, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(publish, "Articles.dll")), "the artifact command made no publish/Articles.dll");
            using var docker = DockerEngine.Connect();
            Assert.Contains(image, (await docker.Images.InspectImageAsync(image)).RepoTags);
            gitTag = System.Text.RegularExpressions.Regex.Match(run.Stdout, @"Tagged app: (articles:[0-9a-f]+)").Groups[1].Value;
        }
        finally
        {
            await RemoveImageAsync(image);
            if (gitTag.Length > 0)
            {
                await RemoveImageAsync(gitTag);
            }
        }
    }

    [DockerFact]
    public async Task Build_ArtifactCommandFails_ExitsOneNamingIt_ItsOutputShown_NoTag()
    {
        using var context = new TempDirectory();
        var image = "berth-test-artifact:" + Guid.NewGuid().ToString("N")[..8];
        var compose = Project(context, image, "FROM scratch\nCOPY out/ /\n", "[\"sh\", \"-c\", \"echo compiling the thing; exit 3\"]", "out");

        var run = await CliRun.RunAsync(["build", "-c", compose]);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("web | compiling the thing", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("service web: build failed: x-berth.artifact.command exited with code 3: sh -c echo compiling the thing; exit 3", run.Stderr, StringComparison.Ordinal);
        Assert.False(await ImageExistsAsync(image));
    }

    [DockerFact]
    public async Task Build_ArtifactCommandMakesNoOutputFolder_ExitsOneNamingTheFolder()
    {
        using var context = new TempDirectory();
        var compose = Project(context, "berth-test-artifact:none", "FROM scratch\nCOPY out/ /\n", "[\"true\"]", "out");

        var run = await CliRun.RunAsync(["build", "-c", compose]);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("made no folder out in", run.Stderr, StringComparison.Ordinal);
    }

    [DockerFact]
    public async Task Build_ArtifactThenImage_TheImageHoldsWhatTheCommandMade()
    {
        using var context = new TempDirectory();
        var image = "berth-test-artifact:" + Guid.NewGuid().ToString("N")[..8];
        var compose = Project(context, image, "FROM scratch\nCOPY out/ /\n", "\"mkdir -p out && echo made > out/made.txt\"", "out");
        try
        {
            var run = await CliRun.RunAsync(["build", "-c", compose]);

            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Equal("made\n", await File.ReadAllTextAsync(Path.Combine(context.Path, "out", "made.txt")));
            Assert.True(await ImageExistsAsync(image));
        }
        finally
        {
            await RemoveImageAsync(image);
        }
    }

    [DockerFact]
    public async Task Build_BerthBaseImageMissing_MadeOnDemandThenTheBuildUsesIt()
    {
        using var context = new TempDirectory();
        var tag = "berthtest-" + Guid.NewGuid().ToString("N")[..8];
        var baseImage = $"dotnet-base:{tag}";
        var image = $"berth-test-onbase:{tag}";
        var compose = Project(context, image, $"FROM {baseImage}\nCOPY out/ /app/\n", "\"mkdir -p out && echo hi > out/hi.txt\"", "out");
        try
        {
            Assert.False(await ImageExistsAsync(baseImage));

            var run = await CliRun.RunAsync(["build", "-c", compose]);

            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Contains($"base image {baseImage} is missing: making it with", run.Stdout, StringComparison.Ordinal);
            Assert.True(await ImageExistsAsync(baseImage));
            Assert.True(await ImageExistsAsync(image));
        }
        finally
        {
            await RemoveImageAsync(image);
            await RemoveImageAsync(baseImage);
        }
    }

    [DockerFact]
    public async Task BuildPush_InAGitCheckout_TagsTheShortShaAndEachTag_PushesThemAll_PrintsTheDigest()
    {
        Assert.Null(LocalRegistry.Problem());
        await using var registry = await LocalRegistry.StartAsync();
        using var context = new TempDirectory();
        var repository = $"{registry.Address}/berth-test/tagged";
        var compose = Project(context, $"{repository}:main", "FROM scratch\nCOPY out/ /\n", "\"mkdir -p out && date +%s%N > out/stamp\"", "out");
        await GitAsync(context.Path, "init", "-q");
        await GitAsync(context.Path, "add", ".");
        await GitAsync(context.Path, "-c", "user.email=ci@berth.test", "-c", "user.name=ci", "commit", "-q", "-m", "first");
        var sha = (await GitAsync(context.Path, "rev-parse", "--short", "HEAD")).Trim();
        try
        {
            var run = await CliRun.RunAsync(["build", "-c", compose, "--push", "-t", "1.4.0"], new Dictionary<string, string> { ["DOCKER_CONFIG"] = context.Path });

            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Contains($"Tagged web: {repository}:{sha}", run.Stdout, StringComparison.Ordinal);
            Assert.Matches($@"Pushed web: {System.Text.RegularExpressions.Regex.Escape($"{repository}:main, {repository}:{sha}, {repository}:1.4.0")} \(digest sha256:[0-9a-f]{{64}}\)", run.Stdout);
            Assert.Equal(new[] { "1.4.0", "main", sha }.Order(StringComparer.Ordinal), (await registry.TagsAsync("berth-test/tagged")).Order(StringComparer.Ordinal));
        }
        finally
        {
            foreach (var tag in new[] { "main", sha, "1.4.0" })
            {
                await RemoveImageAsync($"{repository}:{tag}");
            }
        }
    }

    [Fact]
    public async Task Build_BadTag_RefusedBeforeAnythingIsBuilt()
    {
        using var context = new TempDirectory();
        var compose = Project(context, "berth-test-artifact:x", "FROM scratch\n", "\"touch made\"", ".");

        var run = await CliRun.RunAsync(["build", "-c", compose, "-t", "v1:2"]);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("--tag 'v1:2' is not a valid tag", run.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(context.Path, "made")));
    }

    [Theory]
    [InlineData("FROM dotnet-base:10\nCOPY publish/ ./\n", "dotnet-base:10")]
    [InlineData("FROM --platform=linux/amd64 dotnet-base:10 AS build\nFROM build\nFROM scratch\n", "dotnet-base:10")]
    [InlineData("from alpine:3 as a\nFROM a\nFROM debian:12\n", "alpine:3,debian:12")]
    [InlineData("FROM ${BASE}\n", "")]
    public void FromLines_NamesTheBaseImages_NotStagesScratchOrVariables(string dockerfile, string expected)
    {
        Assert.Equal(expected.Split(',', StringSplitOptions.RemoveEmptyEntries), BaseImages.FromLines(dockerfile));
    }

    private static string Project(TempDirectory context, string image, string dockerfile, string command, string output)
    {
        context.File("Dockerfile", dockerfile);
        return context.File("compose.yml", $"""
            services:
              web:
                image: "{image}"
                build:
                  context: .
                x-berth:
                  artifact:
                    command: {command}
                    output: {output}
            """);
    }

    private static async Task<string> GitAsync(string folder, params string[] args)
    {
        var start = new System.Diagnostics.ProcessStartInfo("git") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var git = System.Diagnostics.Process.Start(start)!;
        var output = await git.StandardOutput.ReadToEndAsync();
        var errors = await git.StandardError.ReadToEndAsync();
        await git.WaitForExitAsync();
        Assert.True(git.ExitCode == 0, $"git {string.Join(' ', args)}: {errors}");
        return output;
    }

    private static Task<bool> ImageExistsAsync(string image) => BuildCommandTests.ImageExistsAsync(image);

    private static Task RemoveImageAsync(string image) => BuildCommandTests.RemoveImageAsync(image);
}
