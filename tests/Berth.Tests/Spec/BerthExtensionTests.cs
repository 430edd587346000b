using System.Text.Json;
using Berth.Api;
using Berth.Spec;
using Berth.Spec.Writing;

namespace Berth.Tests.Spec;

public sealed class BerthExtensionTests : IDisposable
{
    private readonly SpecTestDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private Task<ComposeLoadResult> LoadBerthAsync(string body, string image = "") =>
        _dir.LoadAsync("services:\n  app:\n" + image + "    x-berth:\n" + string.Join("\n", body.Split('\n').Select(l => "      " + l)) + "\n");

    [Fact]
    public async Task LoadAsync_ProcessListCommand_KeptWithRuntimeVariables()
    {
        var spec = SpecAssert.Succeeds(await LoadBerthAsync("""
            process:
              command: ["dotnet", "Articles.dll", "--urls", "http://127.0.0.1:${PORT}"]
              working_dir: ./bin
              environment:
                - MODE=prod
                - REPLICA=${BERTH_REPLICA_ID}
            health:
              http_path: /healthz
            """));

        var berth = spec.Services["app"].Berth;
        Assert.Equal(["dotnet", "Articles.dll", "--urls", "http://127.0.0.1:${PORT}"], berth.Process!.Command);
        Assert.Equal(Path.Combine(_dir.Root, "bin"), berth.Process.WorkingDir);
        Assert.Equal(new Dictionary<string, string> { ["MODE"] = "prod", ["REPLICA"] = "${BERTH_REPLICA_ID}" }, berth.Process.Environment);
        Assert.Equal("/healthz", berth.Health.HttpPath);
        Assert.Null(spec.Services["app"].Image);
    }

    [Fact]
    public async Task LoadAsync_Router_AllKeysRead()
    {
        var spec = SpecAssert.Succeeds(await LoadBerthAsync("""
            process:
              command: ["sleep", "1"]
            router:
              balancing: round_robin
              user_header: X-User
              user_cookie: uid
              override_header: X-Pick
              served_by_header: false
              health_path: /ready
              health_interval: 500ms
              health_timeout: 1s
              eject_after_failures: 5
              ejection_period: 10s
              drain_timeout: 20s
              response_timeout: 15s
              retry_methods: [get, head]
            """));

        var router = spec.Services["app"].Berth.Router!;
        Assert.Equal("round_robin", router.Balancing);
        Assert.Equal("X-User", router.UserHeader);
        Assert.Equal("uid", router.UserCookie);
        Assert.Equal("X-Pick", router.OverrideHeader);
        Assert.False(router.ServedByHeader);
        Assert.Equal("/ready", router.HealthPath);
        Assert.Equal(TimeSpan.FromMilliseconds(500), router.HealthInterval);
        Assert.Equal(TimeSpan.FromSeconds(1), router.HealthTimeout);
        Assert.Equal(5, router.EjectAfterFailures);
        Assert.Equal(TimeSpan.FromSeconds(10), router.EjectionPeriod);
        Assert.Equal(TimeSpan.FromSeconds(20), router.DrainTimeout);
        Assert.Equal(TimeSpan.FromSeconds(15), router.ResponseTimeout);
        Assert.Equal(["GET", "HEAD"], router.RetryMethods);
    }

    [Fact]
    public async Task Write_Router_LoadWriteLoadKeepsEverySetting()
    {
        var first = SpecAssert.Succeeds(await LoadBerthAsync("""
            process:
              command: ["sleep", "1"]
            router:
              balancing: least_requests
              user_header: X-User
              user_cookie: uid
              override_header: X-Pick
              served_by_header: false
              health_path: /ready
              health_interval: 500ms
              health_timeout: 1s
              eject_after_failures: 5
              ejection_period: 10s
              drain_timeout: 1m30s
              response_timeout: 45s
              retry_methods: [GET]
            """));

        var second = SpecAssert.Succeeds(await _dir.LoadAsync(ComposeYamlWriter.Write(first)));

        Assert.Equal(
            JsonSerializer.Serialize(first.Services["app"].Berth.Router, ApiJson.Options),
            JsonSerializer.Serialize(second.Services["app"].Berth.Router, ApiJson.Options));
        Assert.Equal("least_requests", second.Services["app"].Berth.Router!.Balancing);
    }

    [Fact]
    public async Task LoadAsync_RouterUnknownBalancing_ErrorListsValidPolicies()
    {
        var result = await LoadBerthAsync("process:\n  command: [\"sleep\", \"1\"]\nrouter:\n  balancing: fastest");

        var error = SpecAssert.SingleError(result, "services.app.x-berth.router.balancing");
        Assert.Contains("power_of_two_choices, least_requests, round_robin, random", error.Message);
        Assert.Equal(7, error.Line);
    }

    [Fact]
    public async Task LoadAsync_RouterResponseTimeoutZero_ErrorSaysItMustBeLonger()
    {
        var result = await LoadBerthAsync("process:\n  command: [\"sleep\", \"1\"]\nrouter:\n  response_timeout: 0s");

        var error = SpecAssert.SingleError(result, "services.app.x-berth.router.response_timeout");
        Assert.Contains("must be longer than 0, e.g. 30s", error.Message);
        Assert.Equal(7, error.Line);
    }

    [Fact]
    public async Task LoadAsync_RouterUnknownKey_ErrorWithSuggestion()
    {
        var result = await LoadBerthAsync("process:\n  command: [\"sleep\", \"1\"]\nrouter:\n  drain_timout: 5s");

        var error = SpecAssert.SingleError(result, "services.app.x-berth.router.drain_timout");
        Assert.Contains("drain_timeout", error.Message);
    }

    [Fact]
    public async Task LoadAsync_ProcessStringCommand_RunsThroughShell()
    {
        var spec = SpecAssert.Succeeds(await LoadBerthAsync("process:\n  command: ./server --port $PORT"));

        Assert.Equal(["/bin/sh", "-c", "./server --port $PORT"], spec.Services["app"].Berth.Process!.Command);
    }

    [Fact]
    public async Task LoadAsync_Runtime_KeptAndWrittenBack()
    {
        var result = await LoadBerthAsync("strategy: canary\ncanary: {steps: [{weight: 10}, {weight: 50}]}\nrouter: {}\nruntime: swarm", image: "    image: x\n");

        var berth = SpecAssert.Succeeds(result).Services["app"].Berth;
        Assert.Empty(result.Diagnostics);
        Assert.Equal("swarm", berth.Runtime);
        Assert.Equal(StrategySpec.CanaryKind, berth.Strategy.Kind);
        Assert.Equal([10, 50], berth.Strategy.Canary!.Steps.Select(s => s.Weight));
        var yaml = ComposeYamlWriter.Write(result.Spec!);
        Assert.Contains("strategy: canary", yaml, StringComparison.Ordinal);
        Assert.Contains("runtime: swarm", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_UnknownRuntime_ErrorListsTheRuntimes()
    {
        var result = await LoadBerthAsync("runtime: kubernetes", image: "    image: x\n");

        var error = Assert.Single(result.Diagnostics);
        Assert.Contains("x-berth.runtime", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("process", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("swarm", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_UnknownBerthKey_ErrorListsValidKeys()
    {
        var error = SpecAssert.SingleError(await LoadBerthAsync("proces:\n  command: [a]", image: "    image: x\n"), "services.app.x-berth.proces");

        Assert.Contains("did you mean `process`?", error.Message, StringComparison.Ordinal);
        Assert.Contains("valid keys: artifact, blue_green, canary, health, process, router, runtime, strategy", error.Message, StringComparison.Ordinal);
        SpecAssert.At(error, 5, 7);
    }

    [Fact]
    public async Task LoadAsync_Artifact_ReadWithItsOutput_AndWrittenBack()
    {
        var spec = SpecAssert.Succeeds(await LoadBerthAsync(
            "artifact:\n  command: [dotnet, publish, -o, out]\n  output: out/\nprocess:\n  command: [a]", image: "    image: x\n    build: .\n"));

        var artifact = spec.Services["app"].Berth.Artifact!;
        Assert.Equal(["dotnet", "publish", "-o", "out"], artifact.Command);
        Assert.Equal("out", artifact.Output);
        Assert.Contains("output: out", ComposeYamlWriter.Write(spec), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_ArtifactWithoutBuild_ErrorSaysItNeedsABuildSection()
    {
        var error = SpecAssert.SingleError(await LoadBerthAsync("artifact:\n  command: make", image: "    image: x\n"), "services.app.x-berth.artifact");

        Assert.Contains("needs a build: section", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../elsewhere")]
    [InlineData("/tmp/out")]
    public async Task LoadAsync_ArtifactOutputOutsideTheContext_ErrorLocated(string output)
    {
        var error = SpecAssert.SingleError(
            await LoadBerthAsync($"artifact:\n  command: make\n  output: {output}", image: "    image: x\n    build: .\n"), "services.app.x-berth.artifact.output");

        Assert.Contains("must be a folder inside build.context", error.Message, StringComparison.Ordinal);
        SpecAssert.At(error, 8, 17);
    }

    [Fact]
    public async Task LoadAsync_ArtifactWithoutCommand_ErrorGivesAnExample()
    {
        var error = SpecAssert.SingleError(await LoadBerthAsync("artifact:\n  output: out", image: "    image: x\n    build: .\n"), "services.app.x-berth.artifact.command");

        Assert.Contains("dotnet", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_EmptyProcessCommand_ReportsError()
    {
        var error = SpecAssert.SingleError(await LoadBerthAsync("process:\n  command: []"), "services.app.x-berth.process.command");

        Assert.Contains("must not be empty", error.Message, StringComparison.Ordinal);
        SpecAssert.At(error, 5, 18);
    }

    [Fact]
    public async Task LoadAsync_ProcessWithoutCommand_ReportsError()
    {
        SpecAssert.SingleError(await LoadBerthAsync("process:\n  working_dir: ."), "services.app.x-berth.process.command");
    }

    [Fact]
    public async Task LoadAsync_BerthWithoutProcessAndNoImage_NothingToRun()
    {
        var error = SpecAssert.SingleError(await LoadBerthAsync("health:\n  http_path: /h"), "services.app.x-berth");

        Assert.Contains("nothing to run", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_HealthPathWithoutSlash_ReportsError()
    {
        SpecAssert.SingleError(await LoadBerthAsync("health:\n  http_path: healthz", image: "    image: x\n"), "services.app.x-berth.health.http_path");
    }
}
