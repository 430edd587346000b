using Berth.Images;
using Berth.Tests.Infrastructure;

namespace Berth.Tests.Images;

public sealed class DockerignoreMatcherTests
{
    [Theory]
    [InlineData("secret.txt", "secret.txt", true)]
    [InlineData("secret.txt", "sub/secret.txt", false)]
    [InlineData("**/secret.txt", "sub/deep/secret.txt", true)]
    [InlineData("*.md", "README.md", true)]
    [InlineData("*.md", "docs/README.md", false)]
    [InlineData("src/", "src/app/Program.cs", true)]
    [InlineData("/bin", "bin/x", true)]
    [InlineData("file?.txt", "file1.txt", true)]
    [InlineData("file?.txt", "file12.txt", false)]
    [InlineData("# comment", "# comment", false)]
    public void IsExcluded_Pattern_MatchesAsDocker(string pattern, string path, bool excluded) =>
        Assert.Equal(excluded, DockerignoreMatcher.Parse(pattern).IsExcluded(path));

    [Fact]
    public void IsExcluded_NegationAfterExclusion_ReincludesTheFile()
    {
        var matcher = DockerignoreMatcher.Parse("*.txt\n!keep.txt\n");

        Assert.True(matcher.IsExcluded("drop.txt"));
        Assert.False(matcher.IsExcluded("keep.txt"));
    }

    [Fact]
    public async Task ListAsync_ContextWithDockerignore_LeavesExcludedFilesOutButKeepsTheDockerfile()
    {
        using var context = new TempDirectory();
        context.File("Dockerfile", "FROM scratch\n");
        context.File(".dockerignore", "secret.txt\nDockerfile\nlogs/\n");
        context.File("secret.txt", "s");
        context.File("app.txt", "a");
        context.File("logs/today.log", "l");
        context.File("data/keep.txt", "k");

        var names = await BuildContextArchive.ListAsync(context.Path, "Dockerfile", CancellationToken.None);

        Assert.Equal([".dockerignore", "Dockerfile", "app.txt", "data", "data/keep.txt"], names.Order(StringComparer.Ordinal));
    }
}
