using Berth.Spec;
using Berth.Spec.Loading;

namespace Berth.Tests.Spec;

public sealed class ValueParserTests
{
    [Theory]
    [InlineData("512M", 512L * 1024 * 1024)]
    [InlineData("1g", 1024L * 1024 * 1024)]
    [InlineData("1.5GB", 1610612736L)]
    [InlineData("100", 100L)]
    [InlineData("64kib", 65536L)]
    [InlineData("2 mb", 2L * 1024 * 1024)]
    public void ByteSizeParser_TryParse_ValidSizes(string text, long expected)
    {
        Assert.True(ByteSizeParser.TryParse(text, out var bytes));
        Assert.Equal(expected, bytes);
    }

    [Theory]
    [InlineData("lots")]
    [InlineData("1x")]
    [InlineData("")]
    [InlineData("99999999999T")]
    public void ByteSizeParser_TryParse_Invalid_Rejected(string text)
    {
        Assert.False(ByteSizeParser.TryParse(text, out _));
    }

    [Theory]
    [InlineData("a b  c", new[] { "a", "b", "c" })]
    [InlineData("echo 'it''s'", new[] { "echo", "its" })]
    [InlineData("sh -c \"echo \\\"hi\\\" $HOME\"", new[] { "sh", "-c", "echo \"hi\" $HOME" })]
    [InlineData("a\\ b c", new[] { "a b", "c" })]
    [InlineData("\"\" x", new[] { "", "x" })]
    [InlineData("   ", new string[0])]
    public void ShellWords_TrySplit_SplitsLikeAShell(string line, string[] expected)
    {
        Assert.Equal(expected, ShellWords.TrySplit(line, out var problem)!);
        Assert.Null(problem);
    }

    [Theory]
    [InlineData("'open")]
    [InlineData("\"open")]
    [InlineData("trailing\\")]
    public void ShellWords_TrySplit_Malformed_ReturnsProblem(string line)
    {
        Assert.Null(ShellWords.TrySplit(line, out var problem));
        Assert.NotNull(problem);
    }

    [Fact]
    public void NearestName_Find_FindsClosestTypo()
    {
        Assert.Equal("restart_policy", NearestName.Find("restart_polcy", ["restart_policy", "replicas", "resources"]));
        Assert.Equal("replicas", NearestName.Find("replica", ["restart_policy", "replicas", "resources"]));
        Assert.Null(NearestName.Find("qqqqqqq", ["replicas"]));
    }
}
