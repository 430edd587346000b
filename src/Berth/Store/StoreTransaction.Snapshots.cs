using Berth.Spec;

namespace Berth.Store;

public sealed partial class StoreTransaction
{
    /// <summary>A service with its replicas, newest rollout and releases, in this transaction; null if there is no such service.</summary>
    public async Task<ServiceSnapshot?> GetServiceSnapshotAsync(string name, CancellationToken cancellationToken)
    {
        if (await GetServiceAsync(name, cancellationToken) is not { } service)
        {
            return null;
        }

        var replicas = await GetReplicasAsync(name, cancellationToken);
        var latest = await GetLatestRolloutAsync(name, cancellationToken);
        var release = await GetReleaseAsync(name, service.Release, cancellationToken);
        var candidate = latest is { Strategy: not StrategySpec.RollingKind } && latest.ToRelease != service.Release
            ? await GetReleaseAsync(name, latest.ToRelease, cancellationToken)
            : null;
        return new ServiceSnapshot(service, replicas, latest, release, candidate);
    }
}
