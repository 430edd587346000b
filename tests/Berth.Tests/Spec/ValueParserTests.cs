using Berth.Spec.Loading;

namespace Berth.Tests.Spec;

public sealed class ValueParserTests
{
    [Theory]
    [InlineData("1m30s", 90_000)]
    [InlineData("10s", 10_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("500ms", 500)]
    [InlineData("1.5s", 1_500)]
    [InlineData("1h2m3s", 3_723_000)]
    [InlineData("30", 30_000)]
    [InlineData("0", 0)]
    [InlineData("2.5", 2_500)]
    public void GoDuration_TryParse_ValidForms(string text, long expectedMilliseconds)
    {
        Assert.True(GoDuration.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMilliseconds), value);
    }

    [Fact]
    public void GoDuration_TryParse_SubMillisecondUnits()
    {
        Assert.True(GoDuration.TryParse("2us", out var micro));
        Assert.Equal(TimeSpan.FromTicks(20), micro);
        Assert.True(GoDuration.TryParse("1ms500us", out var combo));
        Assert.Equal(TimeSpan.FromTicks(15_000), combo);
    }

    [Theory]
    [InlineData("")]
    [InlineData("10 seconds")]
    [InlineData("1d")]
    [InlineData("-5s")]
    [InlineData("s")]
    [InlineData("1..5s")]
    public void GoDuration_TryParse_InvalidForms_Rejected(string text)
    {
        Assert.False(GoDuration.TryParse(text, out _));
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(90_000, "1m30s")]
    [InlineData(3_600_000, "1h")]
    [InlineData(500, "500ms")]
    [InlineData(1_500, "1.5s")]
    [InlineData(3_723_000, "1h2m3s")]
    public void GoDuration_Format_CompactGoStyle(long milliseconds, string expected)
    {
        var text = GoDuration.Format(TimeSpan.FromMilliseconds(milliseconds));

        Assert.Equal(expected, text);
        Assert.True(GoDuration.TryParse(text, out var back));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), back);
    }

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
    public void KeyChecker_Suggest_FindsClosestTypo()
    {
        Assert.Equal("restart_policy", KeyChecker.Suggest("restart_polcy", ["restart_policy", "replicas", "resources"]));
        Assert.Equal("replicas", KeyChecker.Suggest("replica", ["restart_policy", "replicas", "resources"]));
        Assert.Null(KeyChecker.Suggest("qqqqqqq", ["replicas"]));
    }
}
