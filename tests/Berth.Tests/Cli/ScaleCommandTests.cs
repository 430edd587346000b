using System.Text.Json;
using Berth.Api;

namespace Berth.Tests.Cli;

public sealed class ScaleCommandTests
{
    [Fact]
    public async Task Scale_TwoServices_SendsOneRequestWithBoth()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.OnJson("POST", ApiRoutes.Scale, () => new[] { Samples.Service("a", desired: 2), Samples.Service("b", desired: 3) });

        var run = await CliRun.RunAsync(api, "scale", "a=2", "b=3");

        Assert.Equal(0, run.ExitCode);
        var request = Assert.Single(api.Requests);
        var body = JsonSerializer.Deserialize<ScaleRequest>(request.Body, ApiJson.Options)!;
        Assert.Equal(2, body.Replicas["a"]);
        Assert.Equal(3, body.Replicas["b"]);
        Assert.Contains("a scaled to 2", run.Out);
        Assert.Contains("b scaled to 3", run.Out);
    }

    [Fact]
    public async Task Scale_Env_ScalesTheServicesOfThatEnvironment()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.OnJson("POST", ApiRoutes.Scale, () => new[] { Samples.Service("articles-prod_app", desired: 3) });

        var run = await CliRun.RunAsync(api, "scale", "articles_app=3", "--env", "prod");

        Assert.Equal(0, run.ExitCode);
        var body = JsonSerializer.Deserialize<ScaleRequest>(Assert.Single(api.Requests).Body, ApiJson.Options)!;
        Assert.Equal(3, Assert.Single(body.Replicas, kv => kv.Key == "articles-prod_app").Value);
        Assert.Single(body.Replicas);
    }

    [Fact]
    public async Task Scale_BadEnv_ExitsTwoAndSendsNothing()
    {
        await using var api = await FakeBerthApi.StartAsync();

        var run = await CliRun.RunAsync(api, "scale", "articles_app=3", "--env", "no_such!");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--env: \"no_such!\" is not an environment name", run.Error);
        Assert.Empty(api.Requests);
    }

    [Theory]
    [InlineData("app=x")]
    [InlineData("app=-1")]
    [InlineData("app")]
    [InlineData("=3")]
    public async Task Scale_BadArgument_ExitsTwoAndSendsNothing(string argument)
    {
        await using var api = await FakeBerthApi.StartAsync();

        var run = await CliRun.RunAsync(api, "scale", "ok=1", argument);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(argument, run.Error);
        Assert.Empty(api.Requests);
    }

    [Fact]
    public async Task Scale_UnknownService_ExitsOneWithServerError()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.OnError("POST", ApiRoutes.Scale, 404, "unknown service", "articles_nope is not deployed");

        var run = await CliRun.RunAsync(api, "scale", "articles_nope=2");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("error: unknown service", run.Error);
        Assert.Contains("  articles_nope is not deployed", run.Error);
    }
}
