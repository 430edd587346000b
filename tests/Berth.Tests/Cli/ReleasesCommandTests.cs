using System.Text.Json;
using Berth.Api;

namespace Berth.Tests.Cli;

public sealed class ReleasesCommandTests
{
    private static readonly ReleaseInfo[] History =
    [
        Samples.Release(1, "previous"),
        Samples.Release(2, "current", "environment.ARTICLES_VERSION: 1 → 2", "articles/app:2"),
    ];

    [Fact]
    public async Task Releases_Table_ShowsEveryColumnNewestFirst()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.OnJson("GET", ApiRoutes.Releases("articles_app"), () => History);

        var run = await CliRun.RunAsync(api, "releases", "articles_app");

        Assert.Equal(0, run.ExitCode);
        foreach (var column in new[] { "NUMBER", "CREATED", "STATE", "ARTIFACT", "CHANGES" })
        {
            Assert.Contains(column, run.Out);
        }

        Assert.Contains("2026-01-02T03:04:05Z", run.Out);
        Assert.Contains("environment.ARTICLES_VERSION: 1 → 2", run.Out);
        Assert.True(run.Out.IndexOf("current", StringComparison.Ordinal) < run.Out.IndexOf("previous", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Releases_Json_PrintsReleaseInfoArray()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.OnJson("GET", ApiRoutes.Releases("articles_app"), () => History);

        var run = await CliRun.RunAsync(api, "releases", "articles_app", "--json");

        Assert.Equal(0, run.ExitCode);
        var releases = JsonSerializer.Deserialize<ReleaseInfo[]>(run.Out, ApiJson.Options)!;
        Assert.Equal(History, releases);
        Assert.Contains("\"createdAt\"", run.Out);
    }

    [Fact]
    public async Task Releases_UnknownService_ExitsOne()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.OnError("GET", ApiRoutes.Releases("nope"), 404, "no service named nope");

        var run = await CliRun.RunAsync(api, "releases", "nope");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("error: no service named nope", run.Error);
    }
}
