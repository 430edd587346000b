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

                // A blue/green or canary rollout keeps the service on its stable release until the switch: the new one is
                // a second pool, in progress while its rollout is active.
                var rollout = await tx.GetLatestRolloutAsync(name, cancellationToken);
                var toThis = rollout is { } r && r.ToRelease == release ? r : null;
                if (toThis is not null && toThis.State is RolloutStates.RolledBack or RolloutStates.Aborted or RolloutStates.Superseded)
                {
                    return StackObservation.Failed($"service {name}: rollout to release {release} {toThis.State}{(toThis.Reason is { } why ? $": {why}" : "")}");
                }

                if (service.Release != release)
                {
                    if (toThis is not null && RolloutStates.IsActive(toThis.State))
                    {
                        waiting.Add($"{name} rollout {toThis.State}{(toThis.Reason is { } reason ? $" ({reason})" : "")}");
                        healthy = false;
                        continue;
                    }

                    return StackObservation.Failed($"service {name} runs release {service.Release}, not {release} (rolled back or deployed over)");
                }

                if (service.Status == ServiceStatuses.Failed)
                {
                    return StackObservation.Failed($"service {name} failed: {service.StatusReason ?? "no reason given"}");
                }

                if (toThis is not null && toThis.State != RolloutStates.Completed)
                {
                    waiting.Add($"{name} rollout {toThis.State}");
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
