using System.Text.Json;
using Berth.Api;
using Berth.Cli.Json;
using Berth.Spec;
using Berth.Tests.Infrastructure;

namespace Berth.Tests.Cli;

/// <summary>
/// The CLI's JSON goes through generated metadata only (what the AOT binary has): it must read and write exactly what
/// the server, which uses reflection, writes and reads.
/// </summary>
public sealed class CliJsonTests
{
    private static readonly DateTimeOffset At = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    public static TheoryData<string, object> Dtos() => new()
    {
        { "service", Samples.Service("articles_app") },
        { "replica", Samples.Replica("articles_app", 1) },
        { "rollout", Samples.Rollout() },
        { "canary", StrategySamples.Canary() },
        { "report", StrategySamples.Report() },
        { "release", Samples.Release(2, "current") },
        { "deploy response", new DeployResponse("articles", [new ServiceDeployResult("articles_app", 2, true, "image a -> b")]) { Pruned = ["articles_old"], Warnings = [new DeployWarning("articles_app", "services.app.deploy.resources", "not applied")] } },
        { "error", new ErrorResponse("cannot deploy stack big", ["service big_app: too many <replicas> & more"]) },
        { "event", new EventInfo { Seq = 4, Time = At, Kind = "replica.started", Stack = "articles", Service = "articles_app", Replica = "articles_app.1.abcd", Message = "started" } },
        { "health", new HealthInfo("ok", "/data/local-admin.token") },
        { "log", new LogEntry("articles_app.1.abcd", "GET / 200") },
        { "node", new NodeInfo("n1", "host", "manager", "active", "ready", 3, "10.0.0.1") },
        { "stack", new StackInfo("articles", 2, At, At.AddMinutes(1)) },
        { "token", new TokenInfo("ci", "deployer", "t1", At, "local-admin", At.AddDays(30), null, At, "active") },
        { "created token", new CreatedToken("ci", "deployer", "berth_secret", null) },
        { "audit", new AuditEntryInfo(1, At, "ci", "deployer", "stack.deploy", "articles", "ok", 200, "127.0.0.1", null) },
        { "whoami", new WhoAmI("ci", "deployer", At) },
        { "server", new ServerInfo("0.1.0", "process", "/data") },
        { "scale", new ScaleRequest(new Dictionary<string, int> { ["articles_app"] = 5 }) },
        { "rollback", new RollbackRequest(1) },
        { "promote", new PromoteRequest(Full: true) },
        { "token request", new CreateTokenRequest("ci", "deployer", 3600) },
        { "stack removal", new StackRemovalInfo("articles", ["articles_app"]) },
        { "replica kill", new ReplicaKillInfo("articles_app.1.abcd", Killed: true) },
    };

    [Theory]
    [MemberData(nameof(Dtos))]
    public void Serialize_ApiDto_SameJsonAsTheServersReflection(string what, object dto)
    {
        var type = dto.GetType();

        var generated = JsonSerializer.Serialize(dto, CliJson.Api.GetTypeInfo(type));
        var reflected = JsonSerializer.Serialize(dto, type, ApiJson.Options);

        Assert.True(reflected == generated, $"{what}:\nreflection: {reflected}\ngenerated:  {generated}");
        Assert.Equal(reflected, JsonSerializer.Serialize(JsonSerializer.Deserialize(reflected, CliJson.Api.GetTypeInfo(type)), type, ApiJson.Options));
    }

    [Fact]
    public async Task Serialize_DeployRequestOfTheExampleApp_SameJsonAsTheServersReflection()
    {
        var loaded = await new ComposeLoader().LoadAsync(
            new ComposeLoadRequest { Files = [Path.Combine(RepoPaths.Root, "examples", "articles", "docker-compose.canary.yml")], Environment = new Dictionary<string, string>() },
            CancellationToken.None);
        var request = new DeployRequest(loaded.Spec!) { SecretContents = new Dictionary<string, byte[]> { ["db"] = [1, 2, 3] }, Prune = true };

        var generated = JsonSerializer.Serialize(request, CliJson.Api.Info<DeployRequest>());

        Assert.Equal(JsonSerializer.Serialize(request, ApiJson.Options), generated);
        var back = JsonSerializer.Deserialize(generated, ApiJson.Options.GetTypeInfo(typeof(DeployRequest)));
        Assert.Equal(generated, JsonSerializer.Serialize(back, ApiJson.Options.GetTypeInfo(typeof(DeployRequest))));
    }

    [Fact]
    public void Deserialize_AnswerWithoutLaterFields_ReadsTheirDefaults()
    {
        var service = JsonSerializer.Deserialize("""{"name":"a_b","stack":"a","mode":"replicated","desiredReplicas":1,"runningReplicas":1,"healthyReplicas":1,"release":1,"artifact":"x","status":"running"}""", CliJson.Api.Info<ServiceInfo>())!;
        var rollout = JsonSerializer.Deserialize(JsonSerializer.Serialize(Samples.Rollout(), ApiJson.Options).Replace("\"strategy\":\"rolling\",", ""), CliJson.Api.Info<RolloutInfo>())!;
        var decision = JsonSerializer.Deserialize("""{"at":"2026-01-02T03:04:05Z","kind":"weight","message":"weight 20"}""", CliJson.Api.Info<RolloutDecisionInfo>())!;

        Assert.Empty(service.Ports);
        Assert.Equal("rolling", rollout.Strategy);
        Assert.Empty(decision.Data);
    }

    [Fact]
    public void ApiJsonContext_EveryDtoOfTheApi_HasGeneratedMetadata()
    {
        var notDtos = new[] { typeof(ApiJson), typeof(ApiJsonContext), typeof(ApiRoutes), typeof(ApiTime), typeof(ProblemException), typeof(ProblemKind) };
        var dtos = typeof(ApiJson).Assembly.GetTypes()
            .Where(t => t is { IsPublic: true, Namespace: "Berth.Api" } && !notDtos.Contains(t))
            .ToList();

        Assert.NotEmpty(dtos);
        Assert.All(dtos, t => Assert.NotNull(ApiJsonContext.Default.GetTypeInfo(t)));
    }

    [Fact]
    public void Info_TypeWithoutGeneratedMetadata_ThrowsInsteadOfUsingReflection()
    {
        Assert.Throws<NotSupportedException>(() => CliJson.Api.Info<CliJsonTests>());
    }
}
