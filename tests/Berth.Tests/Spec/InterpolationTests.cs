namespace Berth.Tests.Spec;

public sealed class InterpolationTests : IDisposable
{
    private readonly SpecTestDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private async Task<string?> ImageAsync(string value, Dictionary<string, string>? env = null)
    {
        var result = await _dir.LoadAsync($"services:\n  app:\n    image: '{value}'\n", env ?? new Dictionary<string, string> { ["SET"] = "v", ["EMPTY"] = "" });
        return SpecAssert.Succeeds(result).Services["app"].Image;
    }

    [Theory]
    [InlineData("${SET}", "v")]
    [InlineData("$SET", "v")]
    [InlineData("a-$SET-b", "a-v-b")]
    [InlineData("${UNSET:-d}", "d")]
    [InlineData("${EMPTY:-d}", "d")]
    [InlineData("${EMPTY-d}x", "x")]
    [InlineData("${UNSET-d}", "d")]
    [InlineData("${SET:+alt}", "alt")]
    [InlineData("${EMPTY:+alt}x", "x")]
    [InlineData("${EMPTY+alt}", "alt")]
    [InlineData("${UNSET+alt}x", "x")]
    [InlineData("$$SET", "$SET")]
    [InlineData("cost $$5", "cost $5")]
    [InlineData("${UNSET:-${SET:-x}}", "v")]
    [InlineData("${UNSET:-${ALSO_UNSET:-deep}}", "deep")]
    [InlineData("${SET:?must be set}", "v")]
    public async Task LoadAsync_InterpolationForms_Resolve(string value, string expected)
    {
        Assert.Equal(expected, await ImageAsync(value));
    }

    [Theory]
    [InlineData("${PORT}")]
    [InlineData("$PORT")]
    [InlineData("${BERTH_REPLICA_ID}")]
    [InlineData("x-${BERTH_REPLICA_ID:-0}")]
    public async Task LoadAsync_RuntimeVariables_LeftLiterally(string value)
    {
        var env = new Dictionary<string, string> { ["PORT"] = "1", ["BERTH_REPLICA_ID"] = "2" };

        Assert.Equal(value, await ImageAsync(value, env));
    }

    [Fact]
    public async Task LoadAsync_EscapedRuntimeVariable_BecomesReference()
    {
        Assert.Equal("${PORT}", await ImageAsync("$${PORT}"));
    }

    [Fact]
    public async Task LoadAsync_UnsetVariable_BlankWithWarning()
    {
        var result = await _dir.LoadAsync("services:\n  app:\n    image: \"x${NOPE}\"\n");

        Assert.Equal("x", SpecAssert.Succeeds(result).Services["app"].Image);
        var warning = SpecAssert.Warning(result, "services.app.image");
        Assert.Contains("\"NOPE\" variable is not set", warning.Message, StringComparison.Ordinal);
        SpecAssert.At(warning, 3, 12);
    }

    [Fact]
    public async Task LoadAsync_RequiredVariableMissing_ErrorWithMessage()
    {
        var result = await _dir.LoadAsync("services:\n  app:\n    image: x\n    environment:\n      TOKEN: ${TOKEN:?set TOKEN first}\n");

        var error = SpecAssert.SingleError(result, "services.app.environment.TOKEN");
        Assert.Equal("required variable TOKEN is missing a value: set TOKEN first", error.Message);
        SpecAssert.At(error, 5, 14);
    }

    [Fact]
    public async Task LoadAsync_QuestionWithoutColon_AcceptsEmpty()
    {
        var result = await _dir.LoadAsync("services:\n  app:\n    image: \"a${EMPTY?no}\"\n", new Dictionary<string, string> { ["EMPTY"] = "" });

        Assert.Equal("a", SpecAssert.Succeeds(result).Services["app"].Image);
    }

    [Fact]
    public async Task LoadAsync_UnclosedBrace_ReportsInvalidFormat()
    {
        var result = await _dir.LoadAsync("services:\n  app:\n    image: \"${OOPS\"\n");

        Assert.Contains("invalid interpolation format", SpecAssert.SingleError(result, "services.app.image").Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_BadOperator_ReportsInvalidFormat()
    {
        var result = await _dir.LoadAsync("services:\n  app:\n    image: \"${A*b}\"\n");

        Assert.Contains("invalid interpolation format", SpecAssert.SingleError(result, "services.app.image").Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_MappingKeys_NotInterpolated()
    {
        var result = await _dir.LoadAsync("services:\n  app:\n    image: x\n    environment:\n      $$KEY: v\n      ${SET}: w\n", new Dictionary<string, string> { ["SET"] = "v" });

        var env = SpecAssert.Succeeds(result).Services["app"].Environment;
        Assert.Equal("w", env["${SET}"]);
        Assert.Equal("v", env["$$KEY"]);
    }

    [Fact]
    public async Task LoadAsync_InterpolatedNumber_TypedAfterInterpolation()
    {
        var result = await _dir.LoadAsync("services:\n  app:\n    image: x\n    deploy:\n      replicas: ${N:-4}\n");

        Assert.Equal(4, SpecAssert.Succeeds(result).Services["app"].Deploy.Replicas);
    }

    [Fact]
    public async Task LoadAsync_DotEnvBesideFirstFile_UsedAndProcessEnvWins()
    {
        _dir.Write(".env", "TAG=fromfile\nREG=registry.local\n");

        var result = await _dir.LoadAsync("services:\n  app:\n    image: ${REG}/app:${TAG}\n", new Dictionary<string, string> { ["TAG"] = "fromenv" });

        Assert.Equal("registry.local/app:fromenv", SpecAssert.Succeeds(result).Services["app"].Image);
    }

    [Fact]
    public async Task LoadAsync_ExplicitEnvFiles_ReplaceDotEnvAndApplyInOrder()
    {
        _dir.Write(".env", "TAG=dotenv\nONLY_DOTENV=1\n");
        var first = _dir.Write("a.env", "TAG=a\nX=a\n");
        var second = _dir.Write("b.env", "TAG=b\n");
        var compose = _dir.Write("compose.yaml", "services:\n  app:\n    image: app:${TAG}-${X}-${ONLY_DOTENV:-none}\n");

        var result = await _dir.LoadFilesAsync([compose], envFiles: [first, second]);

        Assert.Equal("app:b-a-none", SpecAssert.Succeeds(result).Services["app"].Image);
    }

    [Fact]
    public async Task LoadAsync_DotEnvValuesInterpolated_ProcessEnvVisible()
    {
        _dir.Write(".env", "REG=registry.local\nIMAGE=${REG}/app:${TAG:-dev}\n");

        var result = await _dir.LoadAsync("services:\n  app:\n    image: ${IMAGE}\n", new Dictionary<string, string> { ["TAG"] = "7" });

        Assert.Equal("registry.local/app:7", SpecAssert.Succeeds(result).Services["app"].Image);
    }

    [Fact]
    public async Task LoadAsync_BadDotEnvLine_ReportsErrorInEnvFile()
    {
        _dir.Write(".env", "OK=1\n9BAD=2\n");

        var result = await _dir.LoadAsync("services:\n  app:\n    image: x\n");

        var error = Assert.Single(result.Errors);
        Assert.EndsWith(".env", error.File, StringComparison.Ordinal);
        SpecAssert.At(error, 2, 1);
    }
}
