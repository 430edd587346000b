using Berth.Cli.Output;
using Spectre.Console.Testing;

namespace Berth.Tests.Cli;

public sealed class ListFormatTests
{
    private sealed record Row(string Id, string Name, int Count);

    private static readonly ListTable<Row> Table = new(
        new ListColumn<Row>("ID", "ID", r => r.Id),
        new ListColumn<Row>("NAME", "Name", r => r.Name),
        new ListColumn<Row>("COUNT", "Count", r => r.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    private static readonly Row[] Rows = [new("a1", "web", 3), new("b22", "worker <& 'db'>", 10)];

    /// <summary>Template, expected output lines.</summary>
    public static TheoryData<string, string[]> Templates => new()
    {
        { "{{.ID}}", ["a1", "b22"] },
        { "{{.ID}}\\t{{.Count}}", ["a1\t3", "b22\t10"] },
        { "{{ .Name }}: {{.Count}} replicas", ["web: 3 replicas", "worker <& 'db'>: 10 replicas"] },
        { "{{.ID}}\\n{{.Name}}", ["a1", "web", "b22", "worker <& 'db'>"] },
        { "table {{.ID}}\\t{{.Count}}", ["ID        COUNT", "a1        3", "b22       10"] },
        { "table", ["ID        NAME              COUNT", "a1        web               3", "b22       worker <& 'db'>   10"] },
        { "{{json .}}", ["{\"ID\":\"a1\",\"Name\":\"web\",\"Count\":\"3\"}", "{\"ID\":\"b22\",\"Name\":\"worker <& 'db'>\",\"Count\":\"10\"}"] },
        { "id={{.ID}}", ["id=a1", "id=b22"] },
    };

    [Theory]
    [MemberData(nameof(Templates))]
    public void Write_Template_RendersEveryRow(string template, string[] expected)
    {
        using var console = new TestConsole().Width(200);

        ListFormat.Parse(template, Table.Fields).Write(console, Table, Rows);

        Assert.Equal(expected, console.Output.TrimEnd('\n').Split('\n'));
    }

    [Theory]
    [InlineData("{{.Image}}", "--format: unknown field `.Image`; valid fields: .ID, .Name, .Count")]
    [InlineData("{{.id}}", "--format: unknown field `.id` (did you mean `.ID`?); valid fields: .ID, .Name, .Count")]
    [InlineData("{{.Nam}}", "(did you mean `.Name`?)")]
    [InlineData("{{range .}}{{.ID}}{{end}}", "--format: `{{range .}}` is not supported: use {{.Field}} or {{json .}} (fields: .ID, .Name, .Count)")]
    [InlineData("{{.ID}", "has an unclosed {{")]
    [InlineData("{{json .ID}}", "is not supported")]
    public void TryParse_BadTemplate_SaysWhatIsWrongAndTheValidFields(string template, string problem)
    {
        Assert.False(ListFormat.TryParse(template, Table.Fields, out _, out var message));
        Assert.Contains(problem, message, StringComparison.Ordinal);
    }

    [Fact]
    public void PlainTable_Lines_DockerLikeColumnsWithoutTrailingSpaces()
    {
        var lines = PlainTable.Lines([["ID", "SERVICE", "MESSAGE"], ["articles_app.1.abcd", "articles_app", ""], ["x", "y", "exited with code 3"]]).ToList();

        Assert.Equal(
            [
                "ID                    SERVICE        MESSAGE",
                "articles_app.1.abcd   articles_app",
                "x                     y              exited with code 3",
            ],
            lines);
    }
}
