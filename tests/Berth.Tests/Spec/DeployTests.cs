using Berth.Spec;

namespace Berth.Tests.Spec;

public sealed class DeployTests : IDisposable
{
    private readonly SpecTestDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private Task<ComposeLoadResult> LoadDeployAsync(string deployBody) =>
        _dir.LoadAsync("services:\n  app:\n    image: x\n    deploy:\n" + string.Join("\n", deployBody.Split('\n').Select(l => "      " + l)) + "\n");

    [Fact]
    public async Task LoadAsync_FullDeploy_Normalized()
    {
        var spec = SpecAssert.Succeeds(await LoadDeployAsync("""
            mode: global
            replicas: 0
            endpoint_mode: dnsrr
            labels: [team=web]
            restart_policy:
              condition: on-failure
              delay: 500ms
              max_attempts: 3
              window: 2m
            update_config:
              parallelism: 0
              delay: 1.5s
              failure_action: rollback
              monitor: 1h
              max_failure_ratio: 0.25
              order: start-first
            rollback_config:
              parallelism: 2
              failure_action: continue
            resources:
              limits:
                cpus: "0.5"
                memory: 512M
                pids: 100
              reservations:
                cpus: 1
                memory: 1.5GB
            placement:
              constraints: [node.role == worker]
              preferences:
                - spread: node.labels.zone
              max_replicas_per_node: 2
            """));

        var d = spec.Services["app"].Deploy;
        Assert.Equal("global", d.Mode);
        Assert.Equal(0, d.Replicas);
        Assert.Equal("dnsrr", d.EndpointMode);
        Assert.Equal("web", d.Labels["team"]);
        Assert.Equal(new RestartPolicySpec { Condition = "on-failure", Delay = TimeSpan.FromMilliseconds(500), MaxAttempts = 3, Window = TimeSpan.FromMinutes(2) }, d.RestartPolicy);
        Assert.Equal(new UpdateConfigSpec { Parallelism = 0, Delay = TimeSpan.FromSeconds(1.5), FailureAction = "rollback", Monitor = TimeSpan.FromHours(1), MaxFailureRatio = 0.25, Order = "start-first" }, d.UpdateConfig);
        Assert.Equal(new UpdateConfigSpec { Parallelism = 2, FailureAction = "continue" }, d.RollbackConfig);
        Assert.Equal(new ResourceAmountSpec { Cpus = 0.5, MemoryBytes = 512L * 1024 * 1024, Pids = 100 }, d.Resources.Limits);
        Assert.Equal(new ResourceAmountSpec { Cpus = 1, MemoryBytes = (long)(1.5 * 1024 * 1024 * 1024) }, d.Resources.Reservations);
        Assert.Equal(["node.role == worker"], d.Placement.Constraints);
        Assert.Equal(["node.labels.zone"], d.Placement.Preferences);
        Assert.Equal(2, d.Placement.MaxReplicasPerNode);
    }

    [Fact]
    public async Task LoadAsync_ReplicasNotANumber_ReportsMustBeInteger()
    {
        var error = SpecAssert.SingleError(await LoadDeployAsync("replicas: three"), "services.app.deploy.replicas");

        Assert.Equal("must be an integer (got \"three\")", error.Message);
        SpecAssert.At(error, 5, 17);
    }

    [Fact]
    public async Task LoadAsync_ManyBadValues_AllReportedAtOnce()
    {
        var result = await LoadDeployAsync("""
            mode: everywhere
            replicas: -1
            restart_policy:
              condition: sometimes
              max_attempts: -3
              delay: soon
            update_config:
              parallelism: -1
              failure_action: explode
              max_failure_ratio: 2
              order: random
            """);

        Assert.Null(result.Spec);
        Assert.Equal(9, result.Errors.Count());
        Assert.Equal("must be one of: replicated, global (got \"everywhere\")", SpecAssert.SingleError(result, "services.app.deploy.mode").Message);
        Assert.Equal("must be >= 0 (got -1)", SpecAssert.SingleError(result, "services.app.deploy.replicas").Message);
        Assert.Equal("must be one of: none, on-failure, any (got \"sometimes\")", SpecAssert.SingleError(result, "services.app.deploy.restart_policy.condition").Message);
        Assert.Equal("must be >= 0 (got -3)", SpecAssert.SingleError(result, "services.app.deploy.restart_policy.max_attempts").Message);
        Assert.Equal("must be a duration like \"1m30s\", \"10s\" or \"500ms\" (got \"soon\")", SpecAssert.SingleError(result, "services.app.deploy.restart_policy.delay").Message);
        var parallelism = SpecAssert.SingleError(result, "services.app.deploy.update_config.parallelism");
        Assert.Equal("must be >= 0 (got -1)", parallelism.Message);
        SpecAssert.At(parallelism, 12, 22);
        Assert.Equal("must be one of: pause, continue, rollback (got \"explode\")", SpecAssert.SingleError(result, "services.app.deploy.update_config.failure_action").Message);
        Assert.Equal("must be <= 1 (got 2)", SpecAssert.SingleError(result, "services.app.deploy.update_config.max_failure_ratio").Message);
        Assert.Equal("must be one of: stop-first, start-first (got \"random\")", SpecAssert.SingleError(result, "services.app.deploy.update_config.order").Message);
    }

    [Theory]
    [InlineData("cpus: 0", "services.app.deploy.resources.limits.cpus", "must be > 0 (got 0)")]
    [InlineData("memory: lots", "services.app.deploy.resources.limits.memory", "must be a memory size like \"512M\", \"1g\", \"1.5GB\" or a number of bytes (got \"lots\")")]
    public async Task LoadAsync_BadResourceLimit_ReportsError(string line, string path, string message)
    {
        var error = SpecAssert.SingleError(await LoadDeployAsync($"resources:\n  limits:\n    {line}"), path);

        Assert.Equal(message, error.Message);
        SpecAssert.At(error, 7, line.IndexOf(':', StringComparison.Ordinal) + 13);
    }

    [Fact]
    public async Task LoadAsync_BadPlacementPreference_ReportsError()
    {
        var error = SpecAssert.SingleError(await LoadDeployAsync("placement:\n  preferences:\n    - pack: x"), "services.app.deploy.placement.preferences[0]");

        Assert.Contains("{spread: <label>}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_BooleanNotTrueFalse_ReportsError()
    {
        var result = await _dir.LoadAsync("services:\n  db:\n    image: pg\n  app:\n    image: x\n    depends_on:\n      db:\n        restart: maybe\n");

        var error = SpecAssert.SingleError(result, "services.app.depends_on.db.restart");
        Assert.Equal("must be true or false (got \"maybe\")", error.Message);
        SpecAssert.At(error, 8, 18);
    }
}
