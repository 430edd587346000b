using System.Text.Json;
using Berth.Api;
using Berth.Spec;
using Berth.Tests.Infrastructure;

namespace Berth.Tests.Cli;

/// <summary>
/// The API's JSON is not HTML-escaped (<c>8080->80/tcp</c>, <c>can't</c>, <c>&lt;a &amp; b&gt;</c> as written) and still
/// reads back exactly, both ways: what the CLI sends, what a server answers, what --json prints.
/// </summary>
public sealed class ApiJsonEscapingTests
{
    private const string Awkward = "8080->80/tcp can't <a & b> café ☕ \"quoted\" back\\slash\ttab\u0001";

    [Fact]
    public void ApiJson_AwkwardString_WrittenUnescapedAndReadBackExactly()
    {
        var json = JsonSerializer.Serialize(new ErrorResponse(Awkward, [Awkward]), ApiJson.Options);

        Assert.Contains("8080->80/tcp can't <a & b> café ☕ \\\"quoted\\\" back\\\\slash\\ttab\\u0001", json);
        Assert.DoesNotContain("\\u003E", json, StringComparison.OrdinalIgnoreCase);
        var back = JsonSerializer.Deserialize<ErrorResponse>(json, ApiJson.Options)!;
        Assert.Equal(Awkward, back.Error);
        Assert.Equal([Awkward], back.Details);
    }

    [Fact]
    public async Task Deploy_SpecWithAwkwardStrings_SentUnescapedAndReadBackExactly()
    {
        await using var api = await FakeBerthApi.StartAsync();
        api.OnJson("POST", ApiRoutes.Deploy("articles"), () => new DeployResponse("articles", [new ServiceDeployResult("articles_app", 1, true, Awkward)]));
        var spec = new ComposeSpec
        {
            Services = new Dictionary<string, ServiceSpec>
            {
                ["app"] = new() { Name = "app", Image = "articles/app:2", Environment = new Dictionary<string, string?> { ["MARKUP"] = Awkward } },
            },
        };

        var run = await CliRun.RunAsync(api, new FakeComposeLoading(new ComposeLoadResult(spec, [])), "deploy", "--detach", "--json", "-c", "compose.yml", "articles");

        Assert.True(run.ExitCode == 0, run.Error);
        var body = Assert.Single(api.Requests).Body;
        Assert.Contains("8080->80/tcp can't <a & b>", body);
        Assert.Equal(Awkward, JsonSerializer.Deserialize<DeployRequest>(body, ApiJson.Options)!.Spec.Services["app"].Environment["MARKUP"]);
        Assert.Contains("8080->80/tcp can't <a & b>", run.Out);
        Assert.Equal(Awkward, JsonSerializer.Deserialize<DeployResponse>(run.Out, ApiJson.Options)!.Services.Single().Summary);
    }

    [Fact]
    public async Task ReleasesJson_RealServer_AnswersUnescapedAndReadBack()
    {
        using var dir = new TempDirectory();
        await using var server = await BerthServerProcess.StartAsync();
        var file = dir.File("docker-compose.yml", """
            services:
              web:
                stop_grace_period: 1s
                x-berth:
                  process:
                    command: "echo '<a & b>' >/dev/null; while true; do sleep 0.2; done"
            """);
        Assert.Equal(0, (await server.CliAsync("deploy", "-d", "-c", file, "p")).ExitCode);

        var answer = await server.Http.GetStringAsync(ApiRoutes.Releases("p_web"));
        var run = await server.CliAsync("releases", "p_web", "--json");

        const string artifact = "/bin/sh -c echo '<a & b>' >/dev/null; while true; do sleep 0.2; done";
        Assert.Contains($"\"artifact\":\"{artifact}\"", answer);
        Assert.Equal(artifact, Assert.Single(JsonSerializer.Deserialize<List<ReleaseInfo>>(answer, ApiJson.Options)!).Artifact);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains($"\"artifact\": \"{artifact}\"", run.Stdout);
        Assert.Equal(artifact, Assert.Single(JsonSerializer.Deserialize<List<ReleaseInfo>>(run.Stdout, ApiJson.Options)!).Artifact);
    }
}
