using Berth.Spec;

namespace Berth.Tests.Spec;

public sealed class ServiceKeysTests : IDisposable
{
    private readonly SpecTestDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private async Task<ServiceSpec> AppAsync(string serviceBody, Dictionary<string, string>? env = null)
    {
        var yaml = "services:\n  app:\n" + string.Join("\n", serviceBody.Split('\n').Select(l => "    " + l)) + "\n";
        return SpecAssert.Succeeds(await _dir.LoadAsync(yaml, env)).Services["app"];
    }

    private Task<ComposeLoadResult> LoadAppAsync(string serviceBody) =>
        _dir.LoadAsync("services:\n  app:\n" + string.Join("\n", serviceBody.Split('\n').Select(l => "    " + l)) + "\n");

    [Fact]
    public async Task LoadAsync_BuildString_ContextResolvedAgainstComposeFolder()
    {
        var app = await AppAsync("build: ./src");

        Assert.Equal(Path.Combine(_dir.Root, "src"), app.Build!.Context);
    }

    [Fact]
    public async Task LoadAsync_BuildMapping_AllFields()
    {
        var app = await AppAsync("build:\n  context: web\n  dockerfile: Dockerfile.prod\n  target: final\n  args:\n    - VERSION=1.2\n    - FROM_ENV", new() { ["FROM_ENV"] = "e" });

        Assert.Equal(Path.Combine(_dir.Root, "web"), app.Build!.Context);
        Assert.Equal("Dockerfile.prod", app.Build.Dockerfile);
        Assert.Equal("final", app.Build.Target);
        Assert.Equal(new Dictionary<string, string?> { ["VERSION"] = "1.2", ["FROM_ENV"] = "e" }, app.Build.Args);
    }

    [Fact]
    public async Task LoadAsync_CommandString_SplitLikeShellWords()
    {
        var app = await AppAsync("image: x\ncommand: run --name \"my app\" 'a b' c\\ d\nentrypoint: [\"/bin/sh\", \"-c\"]");

        Assert.Equal(["run", "--name", "my app", "a b", "c d"], app.Command!);
        Assert.Equal(["/bin/sh", "-c"], app.Entrypoint!);
    }

    [Fact]
    public async Task LoadAsync_CommandUnterminatedQuote_ReportsError()
    {
        var error = SpecAssert.SingleError(await LoadAppAsync("image: x\ncommand: run \"oops"), "services.app.command");

        Assert.Contains("unterminated double quote", error.Message, StringComparison.Ordinal);
        SpecAssert.At(error, 4, 14);
    }

    [Fact]
    public async Task LoadAsync_EnvironmentListAndBareKeys_ResolvedFromVariables()
    {
        var app = await AppAsync("image: x\nenvironment:\n  - A=1\n  - FROM_ENV\n  - MISSING\n  - EQ=a=b", new() { ["FROM_ENV"] = "e" });

        Assert.Equal(new Dictionary<string, string?> { ["A"] = "1", ["FROM_ENV"] = "e", ["MISSING"] = null, ["EQ"] = "a=b" }, app.Environment);
    }

    [Fact]
    public async Task LoadAsync_EnvironmentMapWithTypedValues_KeptAsText()
    {
        var app = await AppAsync("image: x\nenvironment:\n  N: 5\n  B: true\n  E: \"\"\n  NULL_ONE:");

        Assert.Equal("5", app.Environment["N"]);
        Assert.Equal("true", app.Environment["B"]);
        Assert.Equal("", app.Environment["E"]);
        Assert.Null(app.Environment["NULL_ONE"]);
    }

    [Fact]
    public async Task LoadAsync_EnvFileForms_MergedUnderEnvironment()
    {
        _dir.Write("common.env", "A=common\nB=common\n");
        _dir.Write("conf/app.env", "B=app\nC=app\n");

        var app = await AppAsync("image: x\nenv_file:\n  - common.env\n  - path: conf/app.env\n  - path: optional.env\n    required: false\nenvironment:\n  C: inline");

        Assert.Equal(new Dictionary<string, string?> { ["A"] = "common", ["B"] = "app", ["C"] = "inline" }, app.Environment);
    }

    [Fact]
    public async Task LoadAsync_EnvFileString_Read()
    {
        _dir.Write("app.env", "A=1\n");

        Assert.Equal("1", (await AppAsync("image: x\nenv_file: app.env")).Environment["A"]);
    }

    [Fact]
    public async Task LoadAsync_RequiredEnvFileMissing_ReportsError()
    {
        var result = await LoadAppAsync("image: x\nenv_file: missing.env");

        Assert.Null(result.Spec);
        Assert.Contains("missing.env not found", Assert.Single(result.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_LabelsListAndMap_Normalized()
    {
        Assert.Equal(new Dictionary<string, string> { ["a"] = "1", ["flag"] = "" }, (await AppAsync("image: x\nlabels: [a=1, flag]")).Labels);
        Assert.Equal(new Dictionary<string, string> { ["a"] = "1" }, (await AppAsync("image: x\nlabels: {a: 1}")).Labels);
    }

    [Fact]
    public async Task LoadAsync_WorkingDirAndStopGracePeriod_Read()
    {
        var app = await AppAsync("image: x\nworking_dir: /srv\nstop_grace_period: 1m30s");

        Assert.Equal("/srv", app.WorkingDir);
        Assert.Equal(TimeSpan.FromSeconds(90), app.StopGracePeriod);
    }

    [Fact]
    public async Task LoadAsync_OtherExtensions_KeptAsJson()
    {
        var app = await AppAsync("image: x\nx-team: {owner: ops, size: 3, on: true}");

        var team = app.Extensions["x-team"];
        Assert.Equal("ops", team.GetProperty("owner").GetString());
        Assert.Equal(3, team.GetProperty("size").GetInt32());
        Assert.True(team.GetProperty("on").GetBoolean());
    }

    [Fact]
    public async Task LoadAsync_NothingToRun_ReportsError()
    {
        var error = SpecAssert.SingleError(await LoadAppAsync("labels: {a: b}"), "services.app");

        Assert.Equal("service app has nothing to run: set image, build or x-berth.process.command", error.Message);
        SpecAssert.At(error, 3, 5);
    }

    [Theory]
    [InlineData("-bad")]
    [InlineData("has space")]
    [InlineData("ünï")]
    public async Task LoadAsync_InvalidServiceName_ReportsError(string name)
    {
        var result = await _dir.LoadAsync($"services:\n  \"{name}\":\n    image: x\n");

        var error = SpecAssert.SingleError(result, $"services.{name}");
        Assert.Contains("invalid service name", error.Message, StringComparison.Ordinal);
        SpecAssert.At(error, 2, 3);
    }

    [Fact]
    public async Task LoadAsync_ServicesMissing_ReportsError()
    {
        var result = await _dir.LoadAsync("name: demo\n");

        Assert.Contains("services mapping is required", SpecAssert.SingleError(result, "services").Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_ServicesNotAMapping_ReportsError()
    {
        var error = SpecAssert.SingleError(await _dir.LoadAsync("services: [a, b]\n"), "services");

        Assert.Equal("must be a mapping (got a list)", error.Message);
        SpecAssert.At(error, 1, 11);
    }

    [Fact]
    public async Task LoadAsync_ProjectName_ValidatedAndKept()
    {
        Assert.Equal("demo-1", SpecAssert.Succeeds(await _dir.LoadAsync("name: demo-1\nservices:\n  a:\n    image: x\n")).Name);
        SpecAssert.SingleError(await _dir.LoadAsync("name: Demo\nservices:\n  a:\n    image: x\n"), "name");
    }

    [Fact]
    public async Task LoadAsync_BuildWithoutContext_UsesComposeFolder()
    {
        Assert.Equal(_dir.Root, (await AppAsync("build:\n  dockerfile: Dockerfile")).Build!.Context);
    }

    [Fact]
    public async Task LoadAsync_CommandListWithMapping_ReportsItemPath()
    {
        var error = SpecAssert.SingleError(await LoadAppAsync("image: x\ncommand: [run, {a: b}]"), "services.app.command[1]");

        Assert.Equal("must be a string (got a mapping)", error.Message);
        SpecAssert.At(error, 4, 20);
    }

    [Fact]
    public async Task LoadAsync_EnvironmentValueNotScalar_ReportsError()
    {
        var error = SpecAssert.SingleError(await LoadAppAsync("image: x\nenvironment:\n  A: [1, 2]"), "services.app.environment.A");

        Assert.Equal("must be a string (got a list)", error.Message);
        SpecAssert.At(error, 5, 10);
    }

    [Fact]
    public async Task LoadAsync_EnvironmentScalar_ReportsError()
    {
        var error = SpecAssert.SingleError(await LoadAppAsync("image: x\nenvironment: A=1"), "services.app.environment");

        Assert.Contains("must be a mapping or a list of KEY=VALUE strings", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_SecretLongFormWithoutSource_ReportsError()
    {
        var error = SpecAssert.SingleError(await LoadAppAsync("image: x\nsecrets:\n  - target: t"), "services.app.secrets[0]");

        Assert.Contains("source is required", error.Message, StringComparison.Ordinal);
        SpecAssert.At(error, 5, 9);
    }

    [Fact]
    public async Task LoadAsync_ImageEmpty_ReportsError()
    {
        var result = await LoadAppAsync("image: \"\"");

        Assert.Equal("must not be empty", Assert.Single(result.Errors).Message);
        SpecAssert.SingleError(result, "services.app.image");
    }
}
