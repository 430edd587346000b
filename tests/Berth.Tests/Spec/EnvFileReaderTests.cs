using Berth.Spec.Loading;

namespace Berth.Tests.Spec;

public sealed class EnvFileReaderTests
{
    [Fact]
    public void Parse_AllSyntaxes_ReadsValues()
    {
        var (entries, problems) = EnvFileReader.Parse("""
            # comment

            A=1
            export B=two words
            C='single $NOT \n literal'
            D="double\nline \"quoted\""
            E=value # inline comment
            F=no#comment
            G=
            H
            """);

        Assert.Empty(problems);
        var map = entries.ToDictionary(e => e.Key, e => e.Value);
        Assert.Equal("1", map["A"]);
        Assert.Equal("two words", map["B"]);
        Assert.Equal("single $NOT \\n literal", map["C"]);
        Assert.Equal("double\nline \"quoted\"", map["D"]);
        Assert.Equal("value", map["E"]);
        Assert.Equal("no#comment", map["F"]);
        Assert.Equal("", map["G"]);
        Assert.Null(map["H"]);
    }

    [Fact]
    public void Parse_BadLines_ReportsLineNumbers()
    {
        var (_, problems) = EnvFileReader.Parse("OK=1\n1BAD=2\nQ=\"open\n");

        Assert.Equal([2, 3], problems.Select(p => p.Line));
    }

    [Fact]
    public void Parse_CrLfLineEndings_Accepted()
    {
        var (entries, _) = EnvFileReader.Parse("A=1\r\nB=2\r\n");

        Assert.Equal(["1", "2"], entries.Select(e => e.Value));
    }

    [Fact]
    public void ParseAndInterpolate_ValuesUseEarlierEntriesAndOuterVariables()
    {
        var (entries, problems) = EnvFileReader.ParseAndInterpolate(
            "HOST=db\nURL=postgres://${HOST}:${DB_PORT:-5432}/${NAME}\nLIT='${HOST}'\nQ=\"${HOST}x\"\nRT=${PORT}\n",
            name => name == "NAME" ? "app" : null);

        Assert.Empty(problems);
        var map = entries.ToDictionary(e => e.Key, e => e.Value);
        Assert.Equal("postgres://db:5432/app", map["URL"]);
        Assert.Equal("${HOST}", map["LIT"]);
        Assert.Equal("dbx", map["Q"]);
        Assert.Equal("${PORT}", map["RT"]);
    }

    [Fact]
    public void ParseAndInterpolate_RequiredMissing_ReportsLine()
    {
        var (_, problems) = EnvFileReader.ParseAndInterpolate("A=1\nB=${NOPE:?needed}\n", _ => null);

        var problem = Assert.Single(problems);
        Assert.Equal(2, problem.Line);
        Assert.Contains("needed", problem.Message, StringComparison.Ordinal);
    }
}
