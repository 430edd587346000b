namespace Berth.Tests.Spec;

public sealed class UnknownKeysTests : IDisposable
{
    private readonly SpecTestDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task LoadAsync_ComposeKeysBerthIgnores_WarnWithPath()
    {
        var result = await _dir.LoadAsync("services:\n  app:\n    image: x\n    cap_add: [NET_ADMIN]\n    restart: always\n    volumes: [data:/data]\n");

        SpecAssert.Succeeds(result);
        var warning = SpecAssert.Warning(result, "services.app.cap_add");
        Assert.Equal("is not honoured by Berth and is ignored", warning.Message);
        Assert.Equal("services.app.cap_add", warning.Path);
        SpecAssert.At(warning, 4, 5);
        SpecAssert.Warning(result, "services.app.restart");
        SpecAssert.Warning(result, "services.app.volumes");
    }

    [Fact]
    public async Task LoadAsync_ServiceTypo_ErrorWithSuggestion()
    {
        var error = SpecAssert.SingleError(await _dir.LoadAsync("services:\n  app:\n    image: x\n    imgae: y\n"), "services.app.imgae");

        Assert.StartsWith("`imgae` is not a compose key; did you mean `image`? valid keys: build, command,", error.Message, StringComparison.Ordinal);
        SpecAssert.At(error, 4, 5);
    }

    [Fact]
    public async Task LoadAsync_DeployTypos_ErrorsWithSuggestions()
    {
        var result = await _dir.LoadAsync("services:\n  app:\n    image: x\n    deploy:\n      replica: 2\n      restart_polcy:\n        condition: any\n");

        Assert.Contains("did you mean `replicas`?", SpecAssert.SingleError(result, "services.app.deploy.replica").Message, StringComparison.Ordinal);
        var policy = SpecAssert.SingleError(result, "services.app.deploy.restart_polcy");
        Assert.Contains("did you mean `restart_policy`?", policy.Message, StringComparison.Ordinal);
        Assert.Contains("valid keys: endpoint_mode, labels, mode, placement, replicas, resources, restart_policy, rollback_config, update_config", policy.Message, StringComparison.Ordinal);
        SpecAssert.At(policy, 6, 7);
    }

    [Fact]
    public async Task LoadAsync_KeyFarFromAnything_ErrorWithoutSuggestion()
    {
        var error = SpecAssert.SingleError(await _dir.LoadAsync("services:\n  app:\n    image: x\n    deploy:\n      zzzzzzzz: 1\n"), "services.app.deploy.zzzzzzzz");

        Assert.DoesNotContain("did you mean", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_TopLevelNetworksVolumesConfigs_WarnNotHonouredYet()
    {
        var result = await _dir.LoadAsync("version: \"3.8\"\nservices:\n  app:\n    image: x\nnetworks: {front: {}}\nvolumes: {data: {}}\nconfigs: {c: {file: ./c}}\n");

        SpecAssert.Succeeds(result);
        Assert.Equal("is not honoured by Berth yet and is ignored", SpecAssert.Warning(result, "networks").Message);
        SpecAssert.Warning(result, "volumes");
        SpecAssert.Warning(result, "configs");
        Assert.Contains("obsolete", SpecAssert.Warning(result, "version").Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_TopLevelTypo_ErrorWithSuggestion()
    {
        var error = SpecAssert.SingleError(await _dir.LoadAsync("servics:\n  app:\n    image: x\nservices:\n  app:\n    image: x\n"), "servics");

        Assert.Contains("did you mean `services`?", error.Message, StringComparison.Ordinal);
        SpecAssert.At(error, 1, 1);
    }

    [Fact]
    public async Task LoadAsync_ErrorsInSeveralServices_AllReported()
    {
        var result = await _dir.LoadAsync("services:\n  a:\n    image: x\n    replicas: 2\n  b:\n    image: y\n    deploy:\n      replicas: -1\n  c:\n    labels: {}\n");

        Assert.Equal(3, result.Errors.Count());
        Assert.Null(result.Spec);
    }
}
