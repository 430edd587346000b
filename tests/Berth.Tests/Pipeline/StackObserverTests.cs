using Berth.Engine;
using Berth.Engine.Rolling;
using Berth.Pipeline;
using Berth.Spec;
using Berth.Store;
using Berth.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace Berth.Tests.Pipeline;

/// <summary>
/// How an environment's deploy stands, read from the store as the engine writes it: a canary or blue/green rollout keeps
/// the service on its stable release while it runs (in progress, not a failure); a stopped rollout or a service moved
/// to another release fails the deployment; completed and running converges.
/// </summary>
public sealed class StackObserverTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();
    private readonly BerthStore _store;

    public StackObserverTests() => _store = new BerthStore(Options.Create(new StoreOptions { DataDirectory = _dir.Path }));

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task CanaryInProgress_ServiceStillOnStable_IsInProgressNotFailed()
    {
        await SetAsync(serviceRelease: 1, status: ServiceStatuses.Converging, rolloutTo: 2, rolloutState: RolloutStates.Updating);

        var seen = await ObserveAsync(2);

        Assert.Equal((false, false, (string?)null), (seen.Converged, seen.Healthy, seen.Failure));
        Assert.Contains("rollout updating", seen.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RolloutAborted_Fails()
    {
        await SetAsync(serviceRelease: 1, status: ServiceStatuses.Running, rolloutTo: 2, rolloutState: RolloutStates.Aborted);

        Assert.Equal("service shop-prod_web: rollout to release 2 aborted", (await ObserveAsync(2)).Failure);
    }

    [Fact]
    public async Task ServiceOnAnotherReleaseWithNoRolloutToThisOne_Fails()
    {
        await SetAsync(serviceRelease: 3, status: ServiceStatuses.Running, rolloutTo: 3, rolloutState: RolloutStates.Completed);

        Assert.Contains("runs release 3, not 2", (await ObserveAsync(2)).Failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RolloutCompletedAndRunning_ConvergedAndHealthy()
    {
        await SetAsync(serviceRelease: 2, status: ServiceStatuses.Running, rolloutTo: 2, rolloutState: RolloutStates.Completed);

        var seen = await ObserveAsync(2);

        Assert.Equal((true, true, (string?)null), (seen.Converged, seen.Healthy, seen.Failure));
    }

    private Task<StackObservation> ObserveAsync(int release) =>
        new StackObserver(_store).ObserveAsync(
            new EnvironmentDeploymentRecord
            {
                Stack = "shop",
                Environment = "prod",
                Release = 1,
                Kind = EnvironmentDeploymentKinds.Promotion,
                State = EnvironmentDeploymentStates.Deploying,
                CreatedAt = T0,
                StateSince = T0,
                ServiceReleases = new Dictionary<string, int> { ["shop-prod_web"] = release },
            },
            CancellationToken.None);

    private Task SetAsync(int serviceRelease, string status, int rolloutTo, string rolloutState) =>
        _store.WriteAsync(
            async tx =>
            {
                await tx.UpsertStackAsync(new StackRecord("shop-prod", [], T0, T0), CancellationToken.None);
                await tx.UpsertServiceAsync(
                    new ServiceRecord { Name = "shop-prod_web", Stack = "shop-prod", Mode = "replicated", DesiredReplicas = 1, Release = serviceRelease, Status = status, CreatedAt = T0, UpdatedAt = T0 },
                    CancellationToken.None);
                await tx.InsertRolloutAsync(RolloutLedger.New("shop-prod_web", "update", 1, rolloutTo, new UpdateConfigSpec(), T0) with { State = rolloutState }, CancellationToken.None);
            },
            CancellationToken.None);
}
