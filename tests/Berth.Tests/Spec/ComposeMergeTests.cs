namespace Berth.Tests.Spec;

public sealed class ComposeMergeTests : IDisposable
{
    private readonly SpecTestDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private async Task<Berth.Spec.ComposeLoadResult> LoadTwoAsync(string baseYaml, string overrideYaml) =>
        await _dir.LoadFilesAsync([_dir.Write("compose.yaml", baseYaml), _dir.Write("compose.override.yaml", overrideYaml)]);

    [Fact]
    public async Task LoadAsync_TwoFiles_ScalarsOverrideAndMappingsMerge()
    {
        var spec = SpecAssert.Succeeds(await LoadTwoAsync(
            "services:\n  app:\n    image: app:1\n    deploy:\n      replicas: 2\n      update_config:\n        parallelism: 2\n",
            "services:\n  app:\n    image: app:2\n    deploy:\n      update_config:\n        order: start-first\n  db:\n    image: postgres\n"));

        var app = spec.Services["app"];
        Assert.Equal("app:2", app.Image);
        Assert.Equal(2, app.Deploy.Replicas);
        Assert.Equal(2, app.Deploy.UpdateConfig.Parallelism);
        Assert.Equal("start-first", app.Deploy.UpdateConfig.Order);
        Assert.Equal(["app", "db"], spec.Services.Keys);
    }

    [Fact]
    public async Task LoadAsync_TwoFiles_CommandEntrypointAndTestReplaced()
    {
        var spec = SpecAssert.Succeeds(await LoadTwoAsync(
            "services:\n  app:\n    image: x\n    command: [a, b]\n    entrypoint: [e1]\n    healthcheck:\n      test: [CMD, one]\n      retries: 5\n",
            "services:\n  app:\n    command: [c]\n    entrypoint: e2 --flag\n    healthcheck:\n      test: [CMD, two]\n"));

        var app = spec.Services["app"];
        Assert.Equal(["c"], app.Command!);
        Assert.Equal(["e2", "--flag"], app.Entrypoint!);
        Assert.Equal(["CMD", "two"], app.Healthcheck!.Test);
        Assert.Equal(5, app.Healthcheck.Retries);
    }

    [Fact]
    public async Task LoadAsync_TwoFiles_EnvironmentAndLabelsMergeByKeyAcrossForms()
    {
        var spec = SpecAssert.Succeeds(await LoadTwoAsync(
            "services:\n  app:\n    image: x\n    environment: [A=1, B=2]\n    labels: {l1: a}\n    build:\n      context: .\n      args: [V=1]\n    deploy:\n      labels: [d1=x]\n",
            "services:\n  app:\n    environment:\n      B: 3\n      C: 4\n    labels: [l2=b]\n    build:\n      args: {W: 2}\n    deploy:\n      labels: {d2: y}\n"));

        var app = spec.Services["app"];
        Assert.Equal(new Dictionary<string, string?> { ["A"] = "1", ["B"] = "3", ["C"] = "4" }, app.Environment);
        Assert.Equal(new Dictionary<string, string> { ["l1"] = "a", ["l2"] = "b" }, app.Labels);
        Assert.Equal(new Dictionary<string, string?> { ["V"] = "1", ["W"] = "2" }, app.Build!.Args);
        Assert.Equal(new Dictionary<string, string> { ["d1"] = "x", ["d2"] = "y" }, app.Deploy.Labels);
    }

    [Fact]
    public async Task LoadAsync_TwoFiles_PortsAppendedSecretsAndDependsOnMerged()
    {
        var spec = SpecAssert.Succeeds(await LoadTwoAsync(
            "secrets:\n  s1: {file: ./s1}\n  s2: {file: ./s2}\nservices:\n  db:\n    image: pg\n  cache:\n    image: redis\n  app:\n    image: x\n    ports: [\"80:80\"]\n    secrets: [s1]\n    depends_on: [db]\n",
            "services:\n  app:\n    ports: [\"80:80\", \"443:443\"]\n    secrets: [{source: s1, target: renamed}, s2]\n    depends_on:\n      db:\n        condition: service_healthy\n      cache:\n        condition: service_started\n"));

        var app = spec.Services["app"];
        Assert.Equal([80, 443], app.Ports.Select(p => p.Target));
        Assert.Equal(["s1", "s2"], app.Secrets.Select(s => s.Source));
        Assert.Equal("renamed", app.Secrets[0].Target);
        Assert.Equal("service_healthy", app.DependsOn["db"].Condition);
        Assert.Equal("service_started", app.DependsOn["cache"].Condition);
    }

    [Fact]
    public async Task LoadAsync_ResetTag_RemovesValue()
    {
        var spec = SpecAssert.Succeeds(await LoadTwoAsync(
            "services:\n  app:\n    image: x\n    ports: [\"80:80\"]\n    command: [run]\n    environment: {A: 1}\n",
            "services:\n  app:\n    ports: !reset []\n    command: !reset null\n    environment:\n      A: !reset\n"));

        var app = spec.Services["app"];
        Assert.Empty(app.Ports);
        Assert.Null(app.Command);
        Assert.Empty(app.Environment);
    }

    [Fact]
    public async Task LoadAsync_OverrideTag_ReplacesInsteadOfMerging()
    {
        var spec = SpecAssert.Succeeds(await LoadTwoAsync(
            "services:\n  app:\n    image: x\n    ports: [\"80:80\"]\n    environment: {A: 1, B: 2}\n",
            "services:\n  app:\n    ports: !override [\"81:81\"]\n    environment: !override {C: 3}\n"));

        var app = spec.Services["app"];
        Assert.Equal(81, Assert.Single(app.Ports).Target);
        Assert.Equal(["C"], app.Environment.Keys);
    }

    [Fact]
    public async Task LoadAsync_ErrorInOverrideFile_PointsAtThatFile()
    {
        var baseFile = _dir.Write("compose.yaml", "services:\n  app:\n    image: x\n    deploy:\n      replicas: 1\n");
        var overrideFile = _dir.Write("prod.yaml", "services:\n  app:\n    deploy:\n      replicas: -2\n");

        var result = await _dir.LoadFilesAsync([baseFile, overrideFile]);

        var error = SpecAssert.SingleError(result, "services.app.deploy.replicas");
        Assert.Equal(overrideFile, error.File);
        SpecAssert.At(error, 4, 17);
        Assert.Equal("must be >= 0 (got -2)", error.Message);
    }

    [Fact]
    public async Task LoadAsync_ErrorInBaseFile_PointsAtBaseFile()
    {
        var baseFile = _dir.Write("compose.yaml", "services:\n  app:\n    image: x\n    deploy:\n      mode: wrong\n");
        var overrideFile = _dir.Write("prod.yaml", "services:\n  app:\n    image: y\n");

        var error = SpecAssert.SingleError(await _dir.LoadFilesAsync([baseFile, overrideFile]), "services.app.deploy.mode");

        Assert.Equal(baseFile, error.File);
        SpecAssert.At(error, 5, 13);
    }


    [Fact]
    public async Task LoadAsync_ResetInOnlyFile_ValueNotSet()
    {
        var spec = SpecAssert.Succeeds(await _dir.LoadAsync("services:\n  app:\n    image: x\n    command: !reset [a]\n"));

        Assert.Null(spec.Services["app"].Command);
    }

    [Fact]
    public async Task LoadAsync_ThreeFiles_AppliedInOrder()
    {
        var files = new[]
        {
            _dir.Write("a.yaml", "services:\n  app:\n    image: a\n    environment: {X: a, Y: a}\n"),
            _dir.Write("b.yaml", "services:\n  app:\n    image: b\n    environment: {X: b}\n"),
            _dir.Write("c.yaml", "services:\n  app:\n    environment: [Y=c]\n"),
        };

        var app = SpecAssert.Succeeds(await _dir.LoadFilesAsync(files)).Services["app"];

        Assert.Equal("b", app.Image);
        Assert.Equal(new Dictionary<string, string?> { ["X"] = "b", ["Y"] = "c" }, app.Environment);
    }
}
