using System.Net;
using System.Net.Http.Json;
using Berth.Api;
using Berth.Tests.Infrastructure;
using States = Berth.Store.EnvironmentDeploymentStates;

namespace Berth.Tests.Pipeline;

/// <summary>
/// The delivery pipeline end to end on the process runtime, through the API: a release flows dev → staging (gates) on
/// its own and waits before prod; only an approver lets it in; a newer release does the same; rolling prod back leaves
/// staging alone; a release failing staging's smoke gate never reaches prod and says why.
/// </summary>
public sealed class PipelineProcessTests
{
    [Fact]
    public async Task Release_FlowsToStaging_WaitsForApproval_ApprovedIntoProd_RolledBackAlone()
    {
        using var app = new PipelineFixture();
        await using var server = await BerthServerProcess.StartAsync();

        var first = await PipelineFixture.CreateReleaseAsync(server, await app.ReleaseRequestAsync("1"));
        Assert.Equal((1, "v1"), (first.Number, first.Version));
        Assert.Equal(["dev", "staging", "prod"], first.Environments);

        var waiting = await PipelineFixture.WaitForAsync(server, e => PipelineFixture.Env(e, "prod").PendingRelease == 1, "release 1 waiting before prod");
        Assert.Equal((1, States.Succeeded), (PipelineFixture.Env(waiting, "dev").Release, PipelineFixture.Env(waiting, "dev").State));
        Assert.Equal((1, States.Succeeded), (PipelineFixture.Env(waiting, "staging").Release, PipelineFixture.Env(waiting, "staging").State));
        Assert.Null(PipelineFixture.Env(waiting, "prod").Release);
        Assert.Equal("dev 1", await app.PageAsync("dev"));
        Assert.Equal("staging 1", await app.PageAsync("staging"));
        Assert.Null(await app.PageAsync("prod"));
        var stagingPassage = (await PipelineFixture.HistoryAsync(server, "staging")).Single();
        Assert.Equal(["healthy", "smoke"], stagingPassage.Gates.Select(g => g.Gate));

        // A deployer may not approve; an approver may.
        using var deployer = await PipelineFixture.ClientWithRoleAsync(server, "ci", "deployer");
        var refused = await deployer.PostAsJsonAsync(ApiRoutes.Approve(PipelineFixture.Stack, "prod"), new ApprovalRequest(1), ApiJson.Options);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        using var approver = await PipelineFixture.ClientWithRoleAsync(server, "alice", "approver");
        var approved = await approver.PostAsJsonAsync(ApiRoutes.Approve(PipelineFixture.Stack, "prod"), new ApprovalRequest(1, "QA ok"), ApiJson.Options);
        Assert.True(approved.IsSuccessStatusCode, await approved.Content.ReadAsStringAsync());

        await PipelineFixture.WaitForAsync(server, e => PipelineFixture.Env(e, "prod") is { Release: 1, State: States.Succeeded }, "release 1 in prod");
        Assert.Equal("prod 1", await app.PageAsync("prod"));

        // Release 2 flows the same way and waits; approved, prod runs it.
        await PipelineFixture.CreateReleaseAsync(server, await app.ReleaseRequestAsync("2"));
        await PipelineFixture.WaitForAsync(server, e => PipelineFixture.Env(e, "prod").PendingRelease == 2, "release 2 waiting before prod");
        Assert.Equal("prod 1", await app.PageAsync("prod"));
        (await approver.PostAsJsonAsync(ApiRoutes.Approve(PipelineFixture.Stack, "prod"), new ApprovalRequest(2), ApiJson.Options)).EnsureSuccessStatusCode();
        await PipelineFixture.WaitForAsync(server, e => PipelineFixture.Env(e, "prod") is { Release: 2, State: States.Succeeded }, "release 2 in prod");
        Assert.Equal("prod 2", await app.PageAsync("prod"));
        Assert.Equal("api prod 2", await app.PageAsync("prod", "api"));

        // Rolling prod back runs release 1 there again, and only there.
        var rollback = await server.Http.PostAsJsonAsync(ApiRoutes.EnvironmentRollback(PipelineFixture.Stack, "prod"), new EnvironmentRollbackRequest(), ApiJson.Options);
        Assert.True(rollback.IsSuccessStatusCode, await rollback.Content.ReadAsStringAsync());
        var rolledBack = await PipelineFixture.WaitForAsync(
            server, e => PipelineFixture.Env(e, "prod") is { Release: 1, State: States.Succeeded }, "prod rolled back to release 1");
        Assert.Equal("prod 1", await app.PageAsync("prod"));
        Assert.Equal("api prod 1", await app.PageAsync("prod", "api"));
        Assert.Equal("staging 2", await app.PageAsync("staging"));
        Assert.Equal("api staging 2", await app.PageAsync("staging", "api"));
        Assert.Equal(2, PipelineFixture.Env(rolledBack, "staging").Release);

        // What differs between staging and prod now: the release, the version variable, the environment, the ports.
        var diff = (await server.Http.GetFromJsonAsync<EnvironmentDiffInfo>(ApiRoutes.Diff(PipelineFixture.Stack) + "?env=staging&env=prod", ApiJson.Options))!;
        Assert.Equal((2, 1), (diff.FromRelease, diff.ToRelease));
        Assert.Contains(new DiffLine("web", "environment.PAGE_VERSION", "2", "1"), diff.Differences);
        Assert.Contains(new DiffLine("api", "environment.BERTH_ENVIRONMENT", "staging", "prod"), diff.Differences);
        Assert.Contains(new DiffLine("web", "ports", $"{app.ProdPort + 1}:8000", $"{app.ProdPort}:8000"), diff.Differences);
        Assert.DoesNotContain(diff.Differences, d => d.Key == "replicas");

        var prodHistory = await PipelineFixture.HistoryAsync(server, "prod");
        Assert.Equal(
            [("promotion", 1, "alice", "QA ok"), ("promotion", 2, "alice", null), ("rollback", 1, "local-admin", null)],
            prodHistory.Select(h => (h.Kind, h.Release, h.Actor, h.Comment)));
    }

    [Fact]
    public async Task ServerKilledMidPromotion_ResumesWhereItWas()
    {
        using var app = new PipelineFixture(stagingGates: "{healthy_for: 4s}");
        await using var server = await BerthServerProcess.StartAsync();
        await PipelineFixture.CreateReleaseAsync(server, await app.ReleaseRequestAsync("1"));
        await PipelineFixture.WaitForAsync(server, e => PipelineFixture.Env(e, "staging").State == States.Verifying, "staging verifying");

        await server.KillHardAsync();
        await server.RestartAsync();

        var resumed = await PipelineFixture.WaitForAsync(server, e => PipelineFixture.Env(e, "prod").PendingRelease == 1, "release 1 waiting before prod after the restart");
        Assert.Equal((1, States.Succeeded), (PipelineFixture.Env(resumed, "staging").Release, PipelineFixture.Env(resumed, "staging").State));
        Assert.Equal("staging 1", await app.PageAsync("staging"));
        var passages = await PipelineFixture.HistoryAsync(server);
        Assert.Equal(3, passages.Count);
        Assert.Single(passages, p => p.Environment == "staging");
        Assert.Single(await server.ReplicasAsync("shop-staging"), r => r.Service == "shop-staging_web");
    }

    [Fact]
    public async Task SmokeGateFails_ReleaseNeverReachesProd_ReasonShownWithTheExitCode()
    {
        using var app = new PipelineFixture(stagingGates: "{smoke: 'echo checking; exit 3'}");
        await using var server = await BerthServerProcess.StartAsync();

        await PipelineFixture.CreateReleaseAsync(server, await app.ReleaseRequestAsync("1"));

        var failed = await PipelineFixture.WaitForAsync(server, e => PipelineFixture.Env(e, "staging").State == States.Failed, "staging's smoke gate failing");
        var staging = PipelineFixture.Env(failed, "staging");
        Assert.Contains("gate smoke: echo checking; exit 3: exit code 3", staging.Reason, StringComparison.Ordinal);
        Assert.Contains("checking", staging.Reason, StringComparison.Ordinal);
        Assert.Null(PipelineFixture.Env(failed, "prod").PendingRelease);
        Assert.DoesNotContain(await PipelineFixture.HistoryAsync(server), h => h.Environment == "prod");
        Assert.Contains(await server.EventsAsync(), e => e.Kind == "gate.failed" && e.Message.Contains("smoke", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("{name: error_rate, max: 5%}", true)]
    [InlineData("{name: latency_p95, max: 0.001ms}", false)]
    public async Task AnalysisGate_WithItsLoad_PassesOrFailsOnTheRoutersKpis(string metric, bool passes)
    {
        using var app = new PipelineFixture(stagingGates: $"{{analysis: {{interval: 2s, count: 2, min_requests: 5, metrics: [{metric}]}}, load: python3 load.py, timeout: 90s}}");
        await using var server = await BerthServerProcess.StartAsync();

        await PipelineFixture.CreateReleaseAsync(server, await app.ReleaseRequestAsync("1"));

        var done = await PipelineFixture.WaitForAsync(
            server, e => PipelineFixture.Env(e, "staging").State is States.Succeeded or States.Failed, "staging's analysis gate to decide", seconds: 120);
        var staging = (await PipelineFixture.HistoryAsync(server, "staging")).Single();
        if (passes)
        {
            Assert.True(staging.State == States.Succeeded, staging.Reason);
            var gate = Assert.Single(staging.Gates);
            Assert.Contains("2 measurements passed", gate.Message, StringComparison.Ordinal);
            Assert.True(gate.Message.Contains("shop-staging_web release 1: passed: error_rate 0 % ≤ 5 %", StringComparison.Ordinal), gate.Message);
            Assert.Contains("shop-staging_api release 1: passed", gate.Message, StringComparison.Ordinal);
            Assert.Equal(1, PipelineFixture.Env(done, "prod").PendingRelease);
        }
        else
        {
            Assert.Equal(States.Failed, staging.State);
            Assert.Contains("gate analysis: measurement 1: shop-staging_api release 1: failed: latency_p95", staging.Reason, StringComparison.Ordinal);
            Assert.Null(PipelineFixture.Env(done, "prod").PendingRelease);
        }
    }

    [Fact]
    public async Task BadRequests_ClearErrors_NothingWritten()
    {
        using var app = new PipelineFixture();
        await using var server = await BerthServerProcess.StartAsync();

        // An approval for a release that waits nowhere, a rollback in a stack with no release.
        var noStack = await server.Http.PostAsJsonAsync(ApiRoutes.Approve(PipelineFixture.Stack, "prod"), new ApprovalRequest(4), ApiJson.Options);
        Assert.Equal(HttpStatusCode.NotFound, noStack.StatusCode);
        Assert.Contains("has no release", await noStack.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // A target the server does not define.
        var request = await app.ReleaseRequestAsync("1");
        var elsewhere = request with
        {
            Specs = request.Specs.ToDictionary(p => p.Key, p => p.Value with { Environments = p.Value.Environments.Select(e => e.Name == "prod" ? e with { Target = "eu-cluster" } : e).ToList() }),
        };
        var unknownTarget = await server.Http.PostAsJsonAsync(ApiRoutes.StackReleases(PipelineFixture.Stack), elsewhere, ApiJson.Options);
        Assert.Equal(HttpStatusCode.BadRequest, unknownTarget.StatusCode);
        var why = await unknownTarget.Content.ReadAsStringAsync();
        Assert.Contains("environment prod: unknown target", why, StringComparison.Ordinal);
        Assert.Contains("eu-cluster", why, StringComparison.Ordinal);
        Assert.Contains("; targets: local (berth target ls)", why, StringComparison.Ordinal);
        Assert.Empty(await server.Http.GetFromJsonAsync<List<StackReleaseInfo>>(ApiRoutes.StackReleases(PipelineFixture.Stack), ApiJson.Options) ?? []);

        await PipelineFixture.CreateReleaseAsync(server, request);
        await PipelineFixture.WaitForAsync(server, e => PipelineFixture.Env(e, "prod").PendingRelease == 1, "release 1 waiting before prod");

        var wrongRelease = await server.Http.PostAsJsonAsync(ApiRoutes.Approve(PipelineFixture.Stack, "prod"), new ApprovalRequest(7), ApiJson.Options);
        Assert.Equal(HttpStatusCode.Conflict, wrongRelease.StatusCode);
        Assert.Contains("release 7 of shop does not wait for approval in prod; waiting: release 1", await wrongRelease.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var neverRan = await server.Http.PostAsJsonAsync(ApiRoutes.EnvironmentRollback(PipelineFixture.Stack, "staging"), new EnvironmentRollbackRequest(5), ApiJson.Options);
        Assert.Equal(HttpStatusCode.BadRequest, neverRan.StatusCode);
        Assert.Contains("staging never ran release 5 of shop; it ran: 1", await neverRan.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var unknownEnvironment = await server.Http.PostAsJsonAsync(ApiRoutes.EnvironmentRollback(PipelineFixture.Stack, "qa"), new EnvironmentRollbackRequest(), ApiJson.Options);
        Assert.Equal(HttpStatusCode.NotFound, unknownEnvironment.StatusCode);
        Assert.Contains("stack shop has no environment qa; it has: dev, staging, prod", await unknownEnvironment.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(3, (await PipelineFixture.HistoryAsync(server)).Count);

        // A plain deploy may not go where a release needs an approval, with --env or by the stack's name.
        var prodSpec = request.Specs["prod"];
        var intoProd = await server.Http.PostAsJsonAsync(ApiRoutes.Deploy(PipelineFixture.Stack), new DeployRequest(prodSpec) { Environment = "prod" }, ApiJson.Options);
        Assert.Equal(HttpStatusCode.Conflict, intoProd.StatusCode);
        Assert.Contains("environment prod of shop takes releases only through an approval", await intoProd.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var byName = await server.Http.PostAsJsonAsync(ApiRoutes.Deploy("shop-prod"), new DeployRequest(prodSpec), ApiJson.Options);
        Assert.Equal(HttpStatusCode.Conflict, byName.StatusCode);
        var unknown = await server.Http.PostAsJsonAsync(ApiRoutes.Deploy(PipelineFixture.Stack), new DeployRequest(prodSpec) { Environment = "qa" }, ApiJson.Options);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("the files declare no environment qa; they declare: dev, staging, prod", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(await server.Http.GetFromJsonAsync<List<StackInfo>>(ApiRoutes.Stacks, ApiJson.Options) ?? [], s => s.Name == "shop-prod");

        // Into an automatic environment it deploys that environment's stack, overrides applied.
        var intoDev = await server.Http.PostAsJsonAsync(ApiRoutes.Deploy(PipelineFixture.Stack), new DeployRequest(request.Specs["dev"]) { Environment = "dev" }, ApiJson.Options);
        Assert.True(intoDev.IsSuccessStatusCode, await intoDev.Content.ReadAsStringAsync());
        Assert.Equal("shop-dev", (await intoDev.Content.ReadFromJsonAsync<DeployResponse>(ApiJson.Options))!.Stack);
    }
}
