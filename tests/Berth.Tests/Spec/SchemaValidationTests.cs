using Berth.Spec;

namespace Berth.Tests.Spec;

/// <summary>The Compose Specification's JSON schema, checked on every file, its errors located and said once.</summary>
public sealed class SchemaValidationTests : IDisposable
{
    private readonly SpecTestDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private Task<ComposeLoadResult> LoadServiceAsync(string keys, IReadOnlyDictionary<string, string>? env = null) =>
        _dir.LoadAsync("services:\n  app:\n    image: x\n" + keys, env);

    [Fact]
    public async Task LoadAsync_BadValueUnderIgnoredKey_ReportsLocatedSchemaError()
    {
        var result = await LoadServiceAsync("    volumes:\n      - source: ./data\n        target: /data\n");

        var error = SpecAssert.SingleError(result, "services.app.volumes[0]");
        Assert.Equal("type is required by the Compose Specification", error.Message);
        SpecAssert.At(error, 5, 9);
        SpecAssert.Warning(result, "services.app.volumes");
    }

    [Fact]
    public async Task LoadAsync_KeyBerthAlsoRefuses_ReportedOnce()
    {
        var result = await LoadServiceAsync("    replica: 3\n");

        var error = Assert.Single(result.Errors);
        Assert.Equal("services.app.replica", error.Path);
        Assert.Contains("is not a compose key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_UnknownKeyInIgnoredSection_ReportedAtKey()
    {
        var result = await LoadServiceAsync("    logging:\n      driver: json-file\n      rotate: true\n");

        var error = SpecAssert.SingleError(result, "services.app.logging.rotate");
        Assert.Equal("`rotate` is not allowed here by the Compose Specification", error.Message);
        SpecAssert.At(error, 6, 7);
    }

    [Fact]
    public async Task LoadAsync_NumberWhereStringRequired_SuggestsQuoting()
    {
        var result = await LoadServiceAsync("    deploy:\n      resources:\n        limits:\n          memory: 512\n");

        var error = SpecAssert.SingleError(result, "services.app.deploy.resources.limits.memory");
        Assert.Equal("must be a string (got the number 512); quote it to make it a string", error.Message);
        SpecAssert.At(error, 7, 19);
    }

    [Fact]
    public async Task LoadAsync_NoAlternativeFits_OneMessageNamesThemAll()
    {
        var error = SpecAssert.SingleError(await LoadServiceAsync("    dns: {a: 1}\n"), "services.app.dns");

        Assert.Equal("must be a string or a list (got a mapping)", error.Message);
    }

    [Fact]
    public async Task LoadAsync_AlternativeOfRightKind_JudgedInside()
    {
        var error = SpecAssert.SingleError(await LoadServiceAsync("    sysctls: [1]\n"), "services.app.sysctls[0]");

        Assert.Equal("must be a string (got the number 1); quote it to make it a string", error.Message);
    }

    [Fact]
    public async Task LoadAsync_EnumAndBounds_NameTheAllowedValues()
    {
        var result = await LoadServiceAsync("    cgroup: shared\n    cpu_percent: 300\n");

        Assert.Equal("must be one of: host, private (got \"shared\")", SpecAssert.SingleError(result, "services.app.cgroup").Message);
        Assert.Equal("must be <= 100 (got the number 300)", SpecAssert.SingleError(result, "services.app.cpu_percent").Message);
    }

    [Fact]
    public async Task LoadAsync_DuplicateListItem_ReportedAtTheRepeat()
    {
        var error = SpecAssert.SingleError(await LoadServiceAsync("    cap_add: [NET_ADMIN, NET_ADMIN]\n"), "services.app.cap_add[1]");

        Assert.StartsWith("repeats item [0]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_InterpolatedNumberAtCastPath_Accepted()
    {
        var result = await LoadServiceAsync("    cpu_count: \"${CPUS}\"\n    ulimits: {nofile: {soft: \"${N}\", hard: \"${N}\"}}\n", new Dictionary<string, string> { ["CPUS"] = "2", ["N"] = "1024" });

        SpecAssert.Succeeds(result);
    }

    [Fact]
    public async Task LoadAsync_StringThatIsNoNumberAtCastPath_ReportsError()
    {
        var error = SpecAssert.SingleError(await LoadServiceAsync("    cpu_count: \"two\"\n"), "services.app.cpu_count");

        Assert.Equal("must be an integer (got \"two\")", error.Message);
    }

    [Fact]
    public async Task LoadAsync_Yaml11BooleanAtCastPath_AcceptedWithWarning()
    {
        var result = await LoadServiceAsync("    privileged: \"yes\"\n");

        SpecAssert.Succeeds(result);
        Assert.Contains(result.Warnings, w => w.Path == "services.app.privileged" && w.Message == "\"yes\" for a boolean is not YAML 1.2; write true");
    }

    [Fact]
    public async Task LoadAsync_ResetValue_NotJudgedBySchema()
    {
        var result = await LoadServiceAsync("    hostname: !reset null\n");

        SpecAssert.Succeeds(result);
    }

    [Fact]
    public async Task LoadAsync_TopLevelSectionsBerthIgnores_Validated()
    {
        var result = await _dir.LoadAsync("services:\n  app:\n    image: x\nnetworks:\n  front:\n    driver: 3\nvolumes:\n  \"bad name\": {}\n");

        Assert.Equal("must be a string (got the number 3); quote it to make it a string", SpecAssert.SingleError(result, "networks.front.driver").Message);
        var name = SpecAssert.SingleError(result, "volumes.bad name");
        Assert.StartsWith("`bad name` is not a valid name", name.Message, StringComparison.Ordinal);
        SpecAssert.At(name, 8, 3);
    }

    [Fact]
    public async Task LoadAsync_ExampleFile_NoSchemaFindings()
    {
        var example = Directory.GetParent(AppContext.BaseDirectory)!;
        while (!File.Exists(Path.Combine(example.FullName, "examples", "articles", "docker-compose.yml")))
        {
            example = example.Parent!;
        }

        var result = await _dir.LoadFilesAsync([Path.Combine(example.FullName, "examples", "articles", "docker-compose.yml")]);

        SpecAssert.Succeeds(result);
        Assert.Empty(result.Diagnostics);
    }

    [Fact]
    public async Task LoadAsync_NumbersBeyondDecimalInUniqueList_ReportedNotThrown()
    {
        // Found by LoaderFuzzTests: JsonSchema.Net's uniqueItems read .inf (and 1e300) as a decimal and threw.
        var result = await LoadServiceAsync("    cap_add: [.inf, 1e300, -.inf]\n    dns_opt: [1e300, 1e300]\n");

        Assert.Equal(3, result.Errors.Count(e => e.Path.StartsWith("services.app.cap_add[", StringComparison.Ordinal)));
        Assert.All(result.Errors, e => Assert.True(e.Line > 0 && e.Column > 0, e.ToString()));
    }

    [Fact]
    public async Task LoadAsync_EmptyDeploy_SwarmDefaults()
    {
        // deploy with nothing under it is null, which the Compose schema allows (Berth refused it before).
        var spec = SpecAssert.Succeeds(await LoadServiceAsync("    deploy:\n"));

        Assert.Equal(1, spec.Services["app"].Deploy.Replicas);
    }

    [Theory]
    [InlineData("    pull_refresh_after: 1h\n", "services.app.pull_refresh_after")]
    public async Task LoadAsync_ComposeKeyBerthDidNotKnow_IgnoredWithWarning(string keys, string path)
    {
        var result = await LoadServiceAsync(keys);

        SpecAssert.Succeeds(result);
        SpecAssert.Warning(result, path);
    }

    [Fact]
    public async Task LoadAsync_KeyNotInTheSchema_RefusedOnce()
    {
        var result = await LoadServiceAsync("    driver_opts: {a: b}\n    build: {context: ., sbom: true}\n");

        Assert.Equal(["services.app.build.sbom", "services.app.driver_opts"], result.Errors.Select(e => e.Path).Order(StringComparer.Ordinal));
    }
}
