using Berth.Api;
using Berth.Cli.Api;
using Berth.Cli.Commands.Stacks;
using Berth.Store;

namespace Berth.Cli.Commands.Deploy;

/// <summary>
/// Polls the server until every changed service runs all its desired replicas of the new release, healthy, and every
/// pruned service is gone (the server deletes it once its replicas stopped); a service whose rollout to that release
/// pauses, rolls back or is superseded ends the wait as a failure. It polls again as soon as the server records an
/// event of the stack (<see cref="EventWake"/>), and at least every poll interval.
/// </summary>
public sealed class RolloutWatcher
{
    private readonly BerthApiClient _client;
    private readonly TimeProvider _time;
    private readonly TimeSpan _pollInterval;

    public RolloutWatcher(BerthApiClient client, TimeProvider time, TimeSpan pollInterval)
    {
        _client = client;
        _time = time;
        _pollInterval = pollInterval;
    }

    /// <summary>
    /// Waits for <paramref name="targets"/> (service → release) and for the <paramref name="pruned"/> services to be gone;
    /// <paramref name="onProgress"/> sees every poll.
    /// </summary>
    public async Task<RolloutOutcome> WaitAsync(
        string stack,
        IReadOnlyDictionary<string, int> targets,
        IReadOnlyList<string> pruned,
        TimeSpan timeout,
        Action<IReadOnlyList<ServiceProgress>> onProgress,
        CancellationToken cancellationToken)
    {
        var deadline = _time.GetUtcNow() + timeout;
        await using var wake = EventWake.Start(_client, _time, service: null, e => e.Stack == stack);
        while (true)
        {
            var progress = await PollAsync(stack, targets, pruned, cancellationToken).ConfigureAwait(false);
            onProgress(progress);

            // A failure ends the wait at once: the engine has given up on that service.
            if (progress.Any(p => p.Failed))
            {
                return new RolloutOutcome(RolloutResult.Failed, progress);
            }

            if (progress.All(p => p.Done))
            {
                return new RolloutOutcome(RolloutResult.Healthy, progress);
            }

            if (_time.GetUtcNow() >= deadline)
            {
                return new RolloutOutcome(RolloutResult.TimedOut, progress);
            }

            await wake.WaitAsync(_pollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<IReadOnlyList<ServiceProgress>> PollAsync(
        string stack, IReadOnlyDictionary<string, int> targets, IReadOnlyList<string> pruned, CancellationToken cancellationToken)
    {
        var services = await _client.ListServicesAsync(stack, cancellationToken).ConfigureAwait(false);
        var replicas = await _client.ListReplicasAsync(stack, service: null, cancellationToken).ConfigureAwait(false);
        var rollouts = new Dictionary<string, RolloutInfo>(StringComparer.Ordinal);
        foreach (var target in targets)
        {
            // 404 is normal: a first release has no rollout, and the server may not have recorded the new one yet.
            // A latest rollout to another release belongs to an earlier deploy: it says nothing about this one.
            var rollout = await _client.FindRolloutAsync(target.Key, cancellationToken).ConfigureAwait(false);
            if (rollout is not null && rollout.ToRelease == target.Value)
            {
                rollouts[target.Key] = rollout;
            }
            else if (rollout is { Kind: "rollback" } && rollout.FromRelease == target.Value)
            {
                // failure_action rollback: the engine ended the update and started a rollback away from this release.
                rollouts[target.Key] = rollout with { Kind = "update", FromRelease = rollout.ToRelease, ToRelease = target.Value, State = RolloutStates.RolledBack };
            }
        }

        return targets
            .Select(target =>
            {
                var service = services.FirstOrDefault(s => s.Name == target.Key);
                var healthy = replicas.Count(r => r.Service == target.Key && r.Release == target.Value && IsHealthy(r));
                return new ServiceProgress(
                    target.Key,
                    target.Value,
                    healthy,
                    service?.DesiredReplicas,
                    service?.Status ?? "pending",
                    service?.StatusReason)
                {
                    Rollout = rollouts.GetValueOrDefault(target.Key),
                };
            })
            .Concat(pruned.Select(name => ServiceProgress.Pruned(ServiceRemovalProgress.Of(name, services, replicas))))
            .ToList();
    }

    /// <summary>Running and wanted; "none" counts as healthy for services without a healthcheck.</summary>
    private static bool IsHealthy(ReplicaInfo replica) =>
        replica.DesiredState == "running" && replica.State == "running" && replica.Health is "healthy" or "none";
}
