using Berth.Pipeline;
using Berth.Spec;
using Berth.Store;
using States = Berth.Store.EnvironmentDeploymentStates;

namespace Berth.Tests.Pipeline;

/// <summary>
/// The pipeline's decisions, pure: rollouts that complete start the gates, gates pass or fail with their numbers, one
/// release at a time per environment, continuous deployment (auto) and delivery (manual approval), supersession, and
/// rollbacks that never move on.
/// </summary>
public sealed class PipelinePlannerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);

    private static readonly EnvironmentSpec Dev = new() { Name = "dev" };
    private static readonly EnvironmentSpec Staging = new()
    {
        Name = "staging",
        Gates = new GatesSpec { HealthyFor = TimeSpan.FromSeconds(30), Smoke = "./smoke.sh", Timeout = TimeSpan.FromMinutes(5) },
    };
    private static readonly EnvironmentSpec Prod = new() { Name = "prod", Entry = EntryModes.Manual };

    private long _ids;

    [Fact]
    public void Deploying_RolloutCompletedNoGates_SucceedsAndEntersTheNextEnvironment()
    {
        var dev = Deployment("dev", 1, States.Deploying);

        var plan = Plan([dev], observations: new() { [dev.Id] = Converged });

        var records = Records(plan);
        Assert.Equal((States.Succeeded, "dev"), (records[0].Deployment.State, records[0].Deployment.Environment));
        Assert.Equal((States.Queued, "staging", 1, 0L), (records[1].Deployment.State, records[1].Deployment.Environment, records[1].Deployment.Release, records[1].Deployment.Id));
        Assert.Equal(PipelineEvents.Queued, records[1].EventKind);
    }

    [Fact]
    public void SucceededInStaging_ProdIsManual_WaitsForApprovalAndSaysHow()
    {
        var plan = Plan([Deployment("dev", 1, States.Succeeded), Deployment("staging", 1, States.Succeeded)]);

        var waiting = Assert.Single(Records(plan));
        Assert.Equal((States.WaitingApproval, "prod", 1), (waiting.Deployment.State, waiting.Deployment.Environment, waiting.Deployment.Release));
        Assert.Contains("berth approve articles 1 --env prod", waiting.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deploying_RolloutCompletedWithGates_StartsVerifying()
    {
        var staging = Deployment("staging", 1, States.Deploying);

        var plan = Plan([Deployment("dev", 1, States.Succeeded), staging], observations: new() { [staging.Id] = Converged });

        var verifying = Assert.Single(Records(plan));
        Assert.Equal(States.Verifying, verifying.Deployment.State);
        Assert.Contains("healthy for 30s, smoke", verifying.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verifying_GatesPass_HealthyForAndSmoke_SucceedsThenPromotion()
    {
        var staging = Deployment("staging", 1, States.Verifying, since: T0);
        var before = Plan([staging], now: T0.AddSeconds(10), observations: new() { [staging.Id] = Converged });
        Assert.IsType<StartSmoke>(Assert.Single(before.Steps));

        var after = Plan(
            [staging],
            now: T0.AddSeconds(31),
            observations: new() { [staging.Id] = Converged },
            smokes: new() { [staging.Id] = new SmokeObservation(true, 0, TimeSpan.FromSeconds(2), "") });

        var records = Records(after);
        var done = records.Single(r => r.Deployment.Environment == "staging" && r.Deployment.State == States.Succeeded);
        Assert.Equal(["healthy", "smoke"], done.Deployment.Gates.Select(g => g.Gate));
        Assert.All(done.Deployment.Gates, g => Assert.True(g.Passed));
        Assert.Contains(records, r => r.Deployment.Environment == "prod" && r.Deployment.State == States.WaitingApproval);
    }

    [Fact]
    public void Verifying_ServiceUnhealthyDuringHealthyFor_FailsWithTheDetail()
    {
        var staging = Deployment("staging", 1, States.Verifying, since: T0);

        var plan = Plan([staging], now: T0.AddSeconds(12), observations: new() { [staging.Id] = new StackObservation(true, false, null, "articles-staging_app converging (slot 2 restarting)") });

        var failed = Assert.Single(Records(plan));
        Assert.Equal(States.Failed, failed.Deployment.State);
        Assert.Equal("gate healthy: not healthy 12s into healthy_for 30s: articles-staging_app converging (slot 2 restarting)", failed.Deployment.Reason);
        Assert.Equal(PipelineEvents.GateFailed, failed.EventKind);
    }

    [Fact]
    public void Verifying_SmokeExitsNonZero_FailsWithExitCodeAndOutput_NeverReachesProd()
    {
        var staging = Deployment("staging", 1, States.Verifying, since: T0);

        var plan = Plan(
            [staging],
            now: T0.AddSeconds(5),
            observations: new() { [staging.Id] = Converged },
            smokes: new() { [staging.Id] = new SmokeObservation(true, 7, TimeSpan.FromSeconds(1.5), "GET /healthz: 500") });

        var failed = Assert.Single(Records(plan));
        Assert.Equal(States.Failed, failed.Deployment.State);
        Assert.Equal("gate smoke: ./smoke.sh: exit code 7 after 1.5s; output: GET /healthz: 500", failed.Deployment.Reason);
        Assert.DoesNotContain(plan.Steps, s => s is RecordDeployment { Deployment.Environment: "prod" });
    }

    [Fact]
    public void Verifying_GatesNotPassedInTime_Fail()
    {
        var staging = Deployment("staging", 1, States.Verifying, since: T0) with
        {
            Gates = [new GateResult(GateNames.Healthy, true, "ok", T0.AddSeconds(30))],
        };

        var plan = Plan([staging], now: T0.AddMinutes(5), observations: new() { [staging.Id] = Converged }, smokes: new() { [staging.Id] = SmokeObservation.Running });

        var failed = Assert.Single(Records(plan));
        Assert.Equal("gate smoke: not passed within the gates' timeout (300s)", failed.Deployment.Reason);
    }

    [Fact]
    public void Deploying_RolloutStoppedShort_Fails()
    {
        var dev = Deployment("dev", 2, States.Deploying);

        var plan = Plan([dev], observations: new() { [dev.Id] = StackObservation.Failed("service articles-dev_app: rollout to release 2 rolled_back") });

        var failed = Assert.Single(Records(plan));
        Assert.Equal((States.Failed, PipelineEvents.Failed), (failed.Deployment.State, failed.EventKind));
        Assert.Contains("rolled_back", failed.Deployment.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Queued_NothingRuns_NewestDeploysAndOlderAreSuperseded()
    {
        var older = Deployment("dev", 1, States.Queued);
        var newer = Deployment("dev", 2, States.Queued);

        var plan = Plan([older, newer]);

        var superseded = Assert.Single(Records(plan));
        Assert.Equal((1, States.Superseded), (superseded.Deployment.Release, superseded.Deployment.State));
        Assert.Equal(2, Assert.Single(plan.Steps.OfType<DeployRelease>()).Deployment.Release);
    }

    [Fact]
    public void Queued_WhileAnotherRollsOut_Waits()
    {
        var running = Deployment("dev", 1, States.Deploying);
        var queued = Deployment("dev", 2, States.Queued);

        var plan = Plan([running, queued], observations: new() { [running.Id] = StackObservation.InProgress("articles-dev_app rollout updating") });

        Assert.True(plan.IsEmpty);
    }

    [Fact]
    public void NewerReleasePassesStaging_ReplacesTheOneWaitingForApproval()
    {
        var plan = Plan(
        [
            Deployment("staging", 1, States.Succeeded),
            Deployment("prod", 1, States.WaitingApproval),
            Deployment("staging", 2, States.Succeeded),
        ]);

        var records = Records(plan);
        Assert.Contains(records, r => r.Deployment is { Release: 1, Environment: "prod", State: States.Superseded });
        Assert.Contains(records, r => r.Deployment is { Release: 2, Environment: "prod", State: States.WaitingApproval });
    }

    [Fact]
    public void RolledBackAndRejectedReleases_DoNotMoveOnAgain()
    {
        var plan = Plan(
        [
            Deployment("dev", 1, States.Succeeded),
            Deployment("staging", 1, States.Succeeded),
            Deployment("prod", 1, States.Rejected),
            Deployment("dev", 2, States.Succeeded) with { Kind = EnvironmentDeploymentKinds.Rollback },
        ]);

        Assert.DoesNotContain(plan.Steps, s => s is RecordDeployment { Deployment.Release: 2 });
        Assert.True(plan.IsEmpty);
    }

    [Fact]
    public void RollbackRolledOut_SucceedsWithoutGates()
    {
        var rollback = Deployment("staging", 1, States.Deploying) with { Kind = EnvironmentDeploymentKinds.Rollback };

        var plan = Plan([rollback], observations: new() { [rollback.Id] = Converged });

        var done = Assert.Single(Records(plan));
        Assert.Equal(States.Succeeded, done.Deployment.State);
        Assert.Contains("(rollback)", done.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnalysisGate_StartsThenPassesFailsOrTimesOutWithTheNumbers()
    {
        var gates = new GatesSpec { Analysis = new AnalysisSpec { Interval = TimeSpan.FromSeconds(5), Count = 2 }, Timeout = TimeSpan.FromMinutes(1) };
        var qa = new EnvironmentSpec { Name = "qa", Gates = gates };
        var d = Deployment("qa", 3, States.Verifying, since: T0);
        PipelinePlan PlanQa(AnalysisObservation? seen, DateTimeOffset now) => PipelinePlanner.Plan(new PipelineSnapshot
        {
            Stack = "articles",
            Environments = [qa],
            Deployments = [d],
            Observations = new Dictionary<long, StackObservation> { [d.Id] = Converged },
            Analyses = seen is null ? [] : new Dictionary<long, AnalysisObservation> { [d.Id] = seen },
            Now = now,
        });

        Assert.IsType<StartAnalysis>(Assert.Single(PlanQa(null, T0.AddSeconds(1)).Steps));
        Assert.True(PlanQa(new AnalysisObservation(1, 0, null, "passed"), T0.AddSeconds(6)).IsEmpty);

        var passed = Records(PlanQa(new AnalysisObservation(2, 1, null, "articles-qa_app release 3: passed: error_rate 0% ≤ 5% (40 requests)"), T0.AddSeconds(16)));
        Assert.Equal(States.Succeeded, passed[^1].Deployment.State);
        Assert.Contains("2 measurements passed (1 inconclusive)", passed[^1].Deployment.Gates.Single().Message, StringComparison.Ordinal);

        var failed = Assert.Single(Records(PlanQa(new AnalysisObservation(0, 0, "measurement 1: articles-qa_app release 3: failed: error_rate 20% > 5% (40 requests)", ""), T0.AddSeconds(6))));
        Assert.Equal("gate analysis: measurement 1: articles-qa_app release 3: failed: error_rate 20% > 5% (40 requests)", failed.Deployment.Reason);

        var timedOut = Assert.Single(Records(PlanQa(new AnalysisObservation(0, 12, null, "inconclusive: the new release served 3 requests in 5s, min_requests is 20"), T0.AddMinutes(1))));
        Assert.Contains("not passed within the gates' timeout (60s); analysis: 0 of 2 measurements passed, 12 inconclusive, last: inconclusive", timedOut.Deployment.Reason, StringComparison.Ordinal);
    }

    private static readonly StackObservation Converged = new(true, true, null, "every service running");

    private EnvironmentDeploymentRecord Deployment(string environment, int release, string state, DateTimeOffset? since = null) => new()
    {
        Id = ++_ids,
        Stack = "articles",
        Environment = environment,
        Release = release,
        Kind = EnvironmentDeploymentKinds.Promotion,
        State = state,
        CreatedAt = T0,
        StateSince = since ?? T0,
    };

    private static PipelinePlan Plan(
        IReadOnlyList<EnvironmentDeploymentRecord> deployments,
        DateTimeOffset? now = null,
        Dictionary<long, StackObservation>? observations = null,
        Dictionary<long, SmokeObservation>? smokes = null) =>
        PipelinePlanner.Plan(new PipelineSnapshot
        {
            Stack = "articles",
            Environments = [Dev, Staging, Prod],
            Deployments = deployments,
            Observations = observations ?? [],
            Smokes = smokes ?? [],
            Now = now ?? T0.AddSeconds(1),
        });

    private static List<RecordDeployment> Records(PipelinePlan plan) => plan.Steps.OfType<RecordDeployment>().ToList();
}
