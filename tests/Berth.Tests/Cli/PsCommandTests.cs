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

    [Fact]
    public async Task Ps_Redirected_HeaderAndOneLinePerRowWithoutPadding()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.OnJson("GET", ApiRoutes.Replicas, () => new[] { Samples.Replica("articles_app", 1), Samples.Replica("articles_app", 2) with { Message = null } });

        var run = await CliRun.RunAsync(api, "ps", "articles");

        Assert.Equal(
            [
                "ID                    SERVICE        SLOT      RELEASE   DESIRED   STATE     HEALTH    ENDPOINT          PID       RESTARTS   MESSAGE",
                "articles_app.1.abcd   articles_app   1         2         running   running   healthy   127.0.0.1:41001   4001      0          ok",
                "articles_app.2.abcd   articles_app   2         2         running   running   healthy   127.0.0.1:41002   4002      0",
            ],
            run.Out.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task Ps_Quiet_PrintsOnlyIds()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.OnJson("GET", ApiRoutes.Replicas, () => new[] { Samples.Replica("articles_app", 2), Samples.Replica("articles_app", 1) });

        var run = await CliRun.RunAsync(api, "ps", "articles", "-q");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("articles_app.1.abcd\narticles_app.2.abcd\n", run.Out);
    }

    [Fact]
    public async Task Ps_FormatTable_PrintsHeaderAndChosenColumns()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.OnJson("GET", ApiRoutes.Replicas, () => new[] { Samples.Replica("articles_app", 1) });

        var run = await CliRun.RunAsync(api, "ps", "articles", "--format", @"table {{.ID}}\t{{.PID}}\t{{.Health}}");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["ID                    PID       HEALTH", "articles_app.1.abcd   4001      healthy"], run.Out.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task Ps_FormatUnknownField_ExitsTwoListingValidFieldsWithoutCallingTheServer()
    {
        await using var api = await FakeBerthApi.StartAsync();

        var run = await CliRun.RunAsync(api, "ps", "articles", "--format", "{{.Image}}");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("error: --format: unknown field `.Image`; valid fields: .ID, .Service, .Slot, .Release, .Desired, .State, .Health, .Endpoint, .PID, .Restarts, .Message", run.Error);
        Assert.Empty(api.Requests);
    }

    [Fact]
    public async Task Ps_QuietWithJson_ExitsTwo()
    {
        var run = await CliRun.RunAsync(new CliRunOptions(), "ps", "articles", "-q", "--json");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--json, --quiet and --format are alternatives", run.Error);
    }
}
