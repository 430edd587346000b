using Berth.Store;

namespace Berth.Pipeline;

/// <summary>
/// Reads how an environment's deploy stands from what the engine recorded: each service of the deployment on the release
/// the deploy made, its rollout to that release completed, and the service running (every desired replica ready and
/// healthy). A rollout that stopped short, a service that gave up or one moved to another release fails the deployment.
/// </summary>
public sealed class StackObserver(BerthStore store)
{
    public Task<StackObservation> ObserveAsync(EnvironmentDeploymentRecord deployment, CancellationToken cancellationToken) =>
        store.ReadAsync(async tx =>
        {
            var waiting = new List<string>();
            var healthy = true;
            foreach (var (name, release) in deployment.ServiceReleases.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                var service = await tx.GetServiceAsync(name, cancellationToken);
                if (service is null || service.Removing)
                {
                    return StackObservation.Failed($"service {name} was removed");
                }

                if (service.Release != release)
                {
                    return StackObservation.Failed($"service {name} runs release {service.Release}, not {release} (rolled back or deployed over)");
                }

                if (service.Status == ServiceStatuses.Failed)
                {
                    return StackObservation.Failed($"service {name} failed: {service.StatusReason ?? "no reason given"}");
                }

                var rollout = await tx.GetLatestRolloutAsync(name, cancellationToken);
                if (rollout is { } r && r.ToRelease == release)
                {
                    if (r.State is RolloutStates.RolledBack or RolloutStates.Aborted or RolloutStates.Superseded)
                    {
                        return StackObservation.Failed($"service {name}: rollout to release {release} {r.State}{(r.Reason is { } why ? $": {why}" : "")}");
                    }

                    if (r.State != RolloutStates.Completed)
                    {
                        waiting.Add($"{name} rollout {r.State}");
                    }
                }

                if (service.Status != ServiceStatuses.Running)
                {
                    healthy = false;
                    waiting.Add($"{name} {service.Status}{(service.StatusReason is { } reason ? $" ({reason})" : "")}");
                }
            }

            var detail = waiting.Count == 0 ? "every service running" : string.Join("; ", waiting);
            return new StackObservation(waiting.Count == 0, healthy && waiting.Count == 0, null, detail);
        },
        cancellationToken);
}
