using Berth.Api;

namespace Berth.Tests.Cli;

public sealed class ServiceCommandTests
{
    [Fact]
    public async Task ServiceLs_Table_ShowsNamesAndHealthyOverDesired()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.OnJson("GET", ApiRoutes.Services, () => new[] { Samples.Service("articles_app"), Samples.Service("articles_db", desired: 1, healthy: 1) });

        var run = await CliRun.RunAsync(api, "service", "ls", "--stack", "articles");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("articles_app", run.Out);
        Assert.Contains("articles_db", run.Out);
        Assert.Contains("2/3", run.Out);
        Assert.Contains("1/1", run.Out);
        Assert.Equal("?stack=articles", Assert.Single(api.Requests).Query);
    }

    [Fact]
    public async Task ServiceInspect_UnknownService_ExitsOneWithErrorText()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.OnError("GET", ApiRoutes.Service("nope"), 404, "no service named nope");

        var run = await CliRun.RunAsync(api, "service", "inspect", "nope");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("error: no service named nope", run.Error);
    }

    [Fact]
    public async Task ServiceInspect_Json_PrintsServiceInfo()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.OnJson("GET", ApiRoutes.Service("articles_app"), () => Samples.Service("articles_app"));

        var run = await CliRun.RunAsync(api, "service", "inspect", "articles_app", "--json");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("\"desiredReplicas\": 3", run.Out);
    }

    [Fact]
    public async Task ServiceLs_Json_WritesArrowsQuotesAndAmpersandsUnescaped()
    {
        await using var api = await FakeBerthApi.StartAsync();
        var service = Samples.Service("articles_app", status: "degraded", reason: "slot 1 can't start: <exit 3> & retrying") with { Ports = ["8080->80/tcp"] };
        api.OnJson("GET", ApiRoutes.Services, () => new[] { service });

        var run = await CliRun.RunAsync(api, "service", "ls", "--json");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("\"8080->80/tcp\"", run.Out);
        Assert.Contains("\"slot 1 can't start: <exit 3> & retrying\"", run.Out);
        Assert.DoesNotContain("\\u00", run.Out);
    }

    [Fact]
    public async Task ServiceLs_Quiet_PrintsOnlyNames()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.OnJson("GET", ApiRoutes.Services, () => new[] { Samples.Service("articles_db"), Samples.Service("articles_app") });

        var run = await CliRun.RunAsync(api, "service", "ls", "--quiet");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("articles_app\narticles_db\n", run.Out);
    }

    [Fact]
    public async Task ServiceLs_FormatJson_OneObjectPerLineWithTheTableFields()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.OnJson("GET", ApiRoutes.Services, () => new[] { Samples.Service("articles_app") with { Ports = ["8080->80/tcp"] } });

        var run = await CliRun.RunAsync(api, "service", "ls", "--format", "{{json .}}");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(
            "{\"Name\":\"articles_app\",\"Mode\":\"replicated\",\"Replicas\":\"2/3\",\"Release\":\"2\",\"Artifact\":\"articles/app:2\",\"Ports\":\"8080->80/tcp\",\"Status\":\"running\"}\n",
            run.Out);
    }

    [Fact]
    public async Task ServiceLs_Redirected_HeaderAndRowsWithoutPadding()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.OnJson("GET", ApiRoutes.Services, () => new[] { Samples.Service("articles_app") });

        var run = await CliRun.RunAsync(api, "service", "ls");

        Assert.Equal(
            [
                "NAME           MODE         REPLICAS   RELEASE   ARTIFACT         PORTS     STATUS",
                "articles_app   replicated   2/3        2         articles/app:2   8080:80   running",
            ],
            run.Out.TrimEnd('\n').Split('\n'));
    }
}
