using Berth.Pipeline;
using Berth.Spec;

namespace Berth.Tests.Spec;

/// <summary>
/// x-berth.environments: the pipeline read in order with its overrides and gates, every mistake located (all at once),
/// and the overlay that makes each environment's stack (replicas, variables, BERTH_ENVIRONMENT, ports moved).
/// </summary>
public sealed class EnvironmentSpecTests : IDisposable
{
    private const string Services = """
        services:
          app:
            image: articles:1
            ports: ["8080:8080"]
            environment:
              LEVEL: info
            deploy:
              replicas: 3
          worker:
            image: worker:1

        """;

    private readonly SpecTestDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Load_ThreeEnvironments_InOrderWithOverridesAndGates()
    {
        var spec = SpecAssert.Succeeds(await _dir.LoadAsync(Services + """
            x-berth:
              environments:
                - name: dev
                  port_offset: 2000
                  replicas: 1
                  strategy: rolling
                  environment:
                    LEVEL: debug
                  gates:
                    healthy_for: 5s
                - name: staging
                  port_offset: 1000
                  services:
                    worker:
                      replicas: 2
                  gates:
                    smoke: curl -fsS $$BERTH_URL_APP/healthz
                    smoke_timeout: 30s
                    timeout: 2m
                - name: prod
                  entry: manual
            """));

        Assert.Equal(["dev", "staging", "prod"], spec.Environments.Select(e => e.Name));
        var dev = spec.Environments[0];
        Assert.Equal((2000, 1, "rolling", EntryModes.Auto), (dev.PortOffset, dev.Replicas, dev.Strategy, dev.Entry));
        Assert.Equal(TimeSpan.FromSeconds(5), dev.Gates.HealthyFor);
        var staging = spec.Environments[1];
        Assert.Equal("curl -fsS $BERTH_URL_APP/healthz", staging.Gates.Smoke);
        Assert.Equal((TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2)), (staging.Gates.SmokeTimeout, staging.Gates.Timeout));
        Assert.Equal(2, staging.Services["worker"].Replicas);
        Assert.Equal(EntryModes.Manual, spec.Environments[2].Entry);
        Assert.True(spec.Environments[2].Gates.IsEmpty);
    }

    [Fact]
    public async Task Overlay_AppliesReplicasVariablesPortsAndTheEnvironmentName()
    {
        var spec = SpecAssert.Succeeds(await _dir.LoadAsync(Services + """
            x-berth:
              environments:
                - name: staging
                  port_offset: 1000
                  environment: {LEVEL: debug, EXTRA: "1"}
                  services:
                    worker: {replicas: 2, environment: {QUEUE: staging}}
                - name: prod
            """));

        var staging = EnvironmentOverlay.Apply(spec, spec.Environments[0]);
        var app = staging.Services["app"];
        Assert.Equal(9080, app.Ports[0].Published);
        Assert.Equal(3, app.Deploy.Replicas);
        Assert.Equal("debug", app.Environment["LEVEL"]);
        Assert.Equal("staging", app.Environment["BERTH_ENVIRONMENT"]);
        Assert.Equal(2, staging.Services["worker"].Deploy.Replicas);
        Assert.Equal("staging", staging.Services["worker"].Environment["QUEUE"]);

        // Prod takes the file as written: same replicas and ports.
        var prod = EnvironmentOverlay.Apply(spec, spec.Environments[1]);
        Assert.Equal((8080, 3), (prod.Services["app"].Ports[0].Published, prod.Services["app"].Deploy.Replicas));
        Assert.Equal("info", prod.Services["app"].Environment["LEVEL"]);
    }

    [Fact]
    public async Task Load_BerthEnvironmentVariable_InterpolatesPerEnvironment()
    {
        var yaml = """
            services:
              app:
                image: x
                environment:
                  DB: /data/${BERTH_ENVIRONMENT:-none}.db
            x-berth:
              environments: [{name: dev}, {name: prod}]
            """;
        var spec = SpecAssert.Succeeds(await _dir.LoadAsync(yaml, new Dictionary<string, string> { ["BERTH_ENVIRONMENT"] = "prod" }));

        Assert.Equal("/data/prod.db", spec.Services["app"].Environment["DB"]);
    }

    [Fact]
    public async Task Load_BadEnvironments_EveryProblemLocatedAtOnce()
    {
        var result = await _dir.LoadAsync(Services + """
            x-berth:
              environments:
                - name: dev
                  entry: sometimes
                  gates:
                    healthy: 5s
                - name: Prod!
                - name: dev
                - name: qa
                  services:
                    wrker: {replicas: 1}
                - target: local
            """);

        Assert.Null(result.Spec);
        var errors = result.Errors.Select(e => $"{e.Line}:{e.Path}: {e.Message}").ToList();
        string One(string path) => Assert.Single(errors, e => e.Contains($":{path}: ", StringComparison.Ordinal));
        Assert.StartsWith("14:", One("x-berth.environments[0].entry"), StringComparison.Ordinal);
        Assert.Contains("must be one of: auto, manual", One("x-berth.environments[0].entry"), StringComparison.Ordinal);
        Assert.Contains("is not a valid gates key; valid keys: analysis, healthy_for, load, smoke, smoke_timeout, timeout", One("x-berth.environments[0].gates.healthy"), StringComparison.Ordinal);
        Assert.Contains("lower-case letters", One("x-berth.environments[1].name"), StringComparison.Ordinal);
        Assert.Contains("named twice (first at line 13)", One("x-berth.environments[2].name"), StringComparison.Ordinal);
        Assert.Contains("did you mean worker?", One("x-berth.environments[3].services.wrker"), StringComparison.Ordinal);
        Assert.Contains("needs a name", One("x-berth.environments[4].name"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Load_TwoEnvironmentsOnOneTargetPublishingOnePort_ErrorSaysWhichAndHow()
    {
        var result = await _dir.LoadAsync(Services + """
            x-berth:
              environments:
                - name: staging
                - name: prod
            """);

        var error = SpecAssert.SingleError(result, "x-berth.environments[1].port_offset");
        Assert.Contains("would publish port 8080 (app), as staging does (Berth's routers publish every environment's ports, whatever its target): give one of them another port_offset", error.Message, StringComparison.Ordinal);
        Assert.Equal(14, error.Line);
    }

    [Fact]
    public async Task Load_EmptyEnvironmentList_ErrorShowsTheForm()
    {
        var error = SpecAssert.SingleError(await _dir.LoadAsync(Services + "x-berth:\n  environments: []\n"), "x-berth.environments");

        Assert.Contains("must be a non-empty list of environments in order", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Load_UnknownTopLevelBerthKey_IsAnError()
    {
        var error = SpecAssert.SingleError(await _dir.LoadAsync(Services + "x-berth:\n  environmnets: []\n"), "x-berth.environmnets");

        Assert.Contains("did you mean `environments`?", error.Message, StringComparison.Ordinal);
    }
}
