using System.Text;

namespace Berth.Tests.Spec;

public sealed class YamlParsingTests : IDisposable
{
    private readonly SpecTestDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task LoadAsync_AnchorsAndAliases_ShareValues()
    {
        var spec = SpecAssert.Succeeds(await _dir.LoadAsync("""
            x-env: &env
              A: "1"
            services:
              a:
                image: x
                environment: *env
              b:
                image: y
                environment: *env
            """));

        Assert.Equal("1", spec.Services["a"].Environment["A"]);
        Assert.Equal("1", spec.Services["b"].Environment["A"]);
        Assert.True(spec.Extensions.ContainsKey("x-env"));
    }

    [Fact]
    public async Task LoadAsync_MergeKey_OwnKeysWin()
    {
        var spec = SpecAssert.Succeeds(await _dir.LoadAsync("""
            x-base: &base
              image: base:1
              working_dir: /base
            services:
              app:
                <<: *base
                image: app:2
            """));

        Assert.Equal("app:2", spec.Services["app"].Image);
        Assert.Equal("/base", spec.Services["app"].WorkingDir);
    }

    [Fact]
    public async Task LoadAsync_MergeKeyWithListOfMaps_FirstListedWins()
    {
        var spec = SpecAssert.Succeeds(await _dir.LoadAsync("""
            x-a: &a
              image: from-a
            x-b: &b
              image: from-b
              working_dir: /b
            services:
              app:
                <<: [*a, *b]
            """));

        Assert.Equal("from-a", spec.Services["app"].Image);
        Assert.Equal("/b", spec.Services["app"].WorkingDir);
    }

    [Fact]
    public async Task LoadAsync_MergeKeyOnScalar_ReportsError()
    {
        var result = await _dir.LoadAsync("x-a: &a hello\nservices:\n  app:\n    image: x\n    <<: *a\n");

        var error = Assert.Single(result.Errors);
        Assert.Contains("<< merge key takes a mapping", error.Message, StringComparison.Ordinal);
        SpecAssert.At(error, 1, 6);
    }

    [Fact]
    public async Task LoadAsync_MalformedYaml_ReportsLineAndColumn()
    {
        var result = await _dir.LoadAsync("services:\n  app:\n    image: [unclosed\n    ports: 1\n");

        Assert.Null(result.Spec);
        var error = Assert.Single(result.Errors);
        Assert.StartsWith("invalid YAML", error.Message, StringComparison.Ordinal);
        Assert.Equal("compose.yaml", Path.GetFileName(error.File));
        Assert.True(error.Line >= 3, error.ToString());
        Assert.True(error.Column >= 1, error.ToString());
    }

    [Fact]
    public async Task LoadAsync_TabIndentation_ReportsInvalidYamlAtLine()
    {
        var result = await _dir.LoadAsync("services:\n  app:\n\timage: x\n");

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("invalid YAML", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, error.Line);
    }

    [Fact]
    public async Task LoadAsync_MissingFile_ReportsErrorNamingIt()
    {
        var result = await _dir.LoadFilesAsync([_dir.PathOf("nope.yaml")]);

        var error = Assert.Single(result.Errors);
        Assert.Contains("nope.yaml not found", error.Message, StringComparison.Ordinal);
        Assert.Null(result.Spec);
    }

    [Fact]
    public async Task LoadAsync_EmptyFile_ReportsError()
    {
        var result = await _dir.LoadAsync("# only a comment\n");

        Assert.Contains("empty", Assert.Single(result.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_TopLevelList_ReportsError()
    {
        var result = await _dir.LoadAsync("- a\n- b\n");

        var error = Assert.Single(result.Errors);
        Assert.Contains("top level must be a mapping", error.Message, StringComparison.Ordinal);
        SpecAssert.At(error, 1, 1);
    }

    [Fact]
    public async Task LoadAsync_TwoDocuments_ReportsError()
    {
        var result = await _dir.LoadAsync("services:\n  a:\n    image: x\n---\nservices: {}\n");

        Assert.Contains("single YAML document", Assert.Single(result.Errors).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("utf8bom")]
    [InlineData("utf16le")]
    [InlineData("utf16be")]
    [InlineData("utf8")]
    public async Task LoadAsync_EncodedFile_Decodes(string encoding)
    {
        const string yaml = "services:\n  app:\n    image: café:1\n";
        byte[] bytes = encoding switch
        {
            "utf8bom" => [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(yaml)],
            "utf16le" => [0xFF, 0xFE, .. Encoding.Unicode.GetBytes(yaml)],
            "utf16be" => [0xFE, 0xFF, .. Encoding.BigEndianUnicode.GetBytes(yaml)],
            _ => Encoding.UTF8.GetBytes(yaml),
        };
        var file = _dir.WriteBytes("compose.yaml", bytes);

        var spec = SpecAssert.Succeeds(await _dir.LoadFilesAsync([file]));

        Assert.Equal("café:1", spec.Services["app"].Image);
    }

    [Fact]
    public async Task LoadAsync_InvalidUtf8_ReportsError()
    {
        var file = _dir.WriteBytes("compose.yaml", [.. Encoding.ASCII.GetBytes("services:\n  a:\n    image: "), 0xC3, 0x28, 0x0A]);

        var result = await _dir.LoadFilesAsync([file]);

        Assert.Contains("not valid text", Assert.Single(result.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_DuplicateKey_ReportsError()
    {
        var result = await _dir.LoadAsync("services:\n  app:\n    image: a\n    image: b\n");

        Assert.Null(result.Spec);
        var error = Assert.Single(result.Errors);
        Assert.Contains("image", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(4, error.Line);
    }
}
