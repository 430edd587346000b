using Berth.Spec;

namespace Berth.Tests.Spec;

public sealed class ComposeLoaderSeedTests : IDisposable
{
    private readonly SpecTestDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task LoadAsync_SeedComposeFile_NormalizesEverything()
    {
        var result = await _dir.LoadAsync("""
            services:
              app:
                image: articles:1
                ports: ["8080:8080"]
                deploy:
                  mode: replicated
                  replicas: 3
                  restart_policy:
                    condition: any
                  update_config:
                    parallelism: 1
                    order: stop-first
                    monitor: 15s
                    delay: 10s
            """);

        var spec = SpecAssert.Succeeds(result);
        Assert.Empty(result.Diagnostics);
        var app = spec.Services["app"];
        Assert.Equal("app", app.Name);
        Assert.Equal("articles:1", app.Image);
        var port = Assert.Single(app.Ports);
        Assert.Equal(new PortSpec { Target = 8080, Published = 8080 }, port);
        Assert.Equal(DeployModes.Replicated, app.Deploy.Mode);
        Assert.Equal(3, app.Deploy.Replicas);
        Assert.Equal(RestartConditions.Any, app.Deploy.RestartPolicy.Condition);
        Assert.Equal(TimeSpan.FromSeconds(5), app.Deploy.RestartPolicy.Delay);
        Assert.Equal(new UpdateConfigSpec { Parallelism = 1, Order = "stop-first", Monitor = TimeSpan.FromSeconds(15), Delay = TimeSpan.FromSeconds(10) }, app.Deploy.UpdateConfig);
        Assert.Equal(new UpdateConfigSpec(), app.Deploy.RollbackConfig);
        Assert.Equal([_dir.PathOf("compose.yaml")], spec.SourceFiles);
    }

    [Fact]
    public async Task LoadAsync_MinimalService_AppliesComposeAndSwarmDefaults()
    {
        var spec = SpecAssert.Succeeds(await _dir.LoadAsync("services:\n  web:\n    image: nginx\n"));

        var web = spec.Services["web"];
        Assert.Equal(DeployModes.Replicated, web.Deploy.Mode);
        Assert.Equal(1, web.Deploy.Replicas);
        Assert.Equal(new RestartPolicySpec(), web.Deploy.RestartPolicy);
        Assert.Equal(new UpdateConfigSpec(), web.Deploy.UpdateConfig);
        Assert.Equal("vip", web.Deploy.EndpointMode);
        Assert.Equal(TimeSpan.FromSeconds(10), web.StopGracePeriod);
        Assert.Null(web.Command);
        Assert.Null(web.Healthcheck);
        Assert.Empty(web.Environment);
    }

    [Fact]
    public async Task LoadAsync_ServicesInFileOrder_KeepsOrder()
    {
        var spec = SpecAssert.Succeeds(await _dir.LoadAsync("services:\n  zeta:\n    image: a\n  alpha:\n    image: b\n  mid:\n    image: c\n"));

        Assert.Equal(["zeta", "alpha", "mid"], spec.Services.Keys);
    }
}
