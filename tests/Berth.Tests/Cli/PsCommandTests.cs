using System.Text.Json;
using Berth.Api;

namespace Berth.Tests.Cli;

public sealed class PsCommandTests
{
    [Fact]
    public async Task Ps_Json_PrintsReplicaInfoArrayWithDocumentedNames()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.OnJson("GET", ApiRoutes.Replicas, () => new[] { Samples.Replica("articles_app", 1) });

        var run = await CliRun.RunAsync(api, "ps", "articles", "--json");

        Assert.Equal(0, run.ExitCode);
        using var document = JsonDocument.Parse(run.Out);
        var replica = Assert.Single(document.RootElement.EnumerateArray());
        var names = replica.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(
            ["id", "service", "stack", "slot", "release", "desiredState", "state", "health", "endpoint", "pid", "createdAt", "exitedAt", "exitCode", "restarts", "message"],
            names);
        Assert.Equal("articles_app.1.abcd", replica.GetProperty("id").GetString());
        Assert.Equal(4001, replica.GetProperty("pid").GetInt32());
        Assert.Equal("?stack=articles", Assert.Single(api.Requests).Query);
    }

    [Fact]
    public async Task Ps_Table_ShowsReplicaRowsAndHidesShutdownOnes()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.OnJson("GET", ApiRoutes.Replicas, () => new[]
        {
            Samples.Replica("articles_app", 1),
            Samples.Replica("articles_app", 2, release: 1, desiredState: "shutdown") with { Id = "articles_app.2.old", State = "exited" },
        });

        var run = await CliRun.RunAsync(api, "ps", "articles");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("HEALTH", run.Out);
        Assert.Contains("articles_app.1.abcd", run.Out);
        Assert.DoesNotContain("articles_app.2.old", run.Out);
    }

    [Fact]
    public async Task Ps_All_ShowsShutdownReplicas()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.OnJson("GET", ApiRoutes.Replicas, () => new[]
        {
            Samples.Replica("articles_app", 2, release: 1, desiredState: "shutdown") with { Id = "articles_app.2.old", State = "exited" },
        });

        var run = await CliRun.RunAsync(api, "ps", "articles", "--all");

        Assert.Contains("articles_app.2.old", run.Out);
    }
}
