using Berth.Api;
using Berth.Cli.Api;
using Berth.Store;

namespace Berth.Cli.Commands.Rollouts;

/// <summary>Polls one service's rollout until it leaves updating / rolling_back, is replaced by a newer one, or time runs out.</summary>
public sealed class RolloutProgressWatcher
{
    private readonly BerthApiClient _client;
    private readonly TimeProvider _time;
    private readonly TimeSpan _pollInterval;

    public RolloutProgressWatcher(BerthApiClient client, TimeProvider time, TimeSpan pollInterval)
    {
        _client = client;
        _time = time;
        _pollInterval = pollInterval;
    }

    /// <summary>Watches <paramref name="first"/> (as just read or returned by a POST); <paramref name="onProgress"/> sees every poll.</summary>
    public async Task<RolloutWatchOutcome> WaitAsync(
        RolloutInfo first, TimeSpan timeout, Action<RolloutInfo> onProgress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(first);
        var deadline = _time.GetUtcNow() + timeout;
        await using var wake = EventWake.Start(_client, _time, first.Service, _ => true);
        var last = first;
        onProgress(last);
        while (RolloutStates.IsWorking(last.State))
        {
            if (_time.GetUtcNow() >= deadline)
            {
                return new RolloutWatchOutcome(RolloutWatchEnd.TimedOut, last);
            }

            await wake.WaitAsync(_pollInterval, cancellationToken).ConfigureAwait(false);
            var next = await _client.GetRolloutAsync(first.Service, cancellationToken).ConfigureAwait(false);

            // GET returns the latest rollout: another id means a newer deploy or rollback replaced ours.
            if (next.Id != first.Id)
            {
                onProgress(next);
                return new RolloutWatchOutcome(RolloutWatchEnd.Superseded, next);
            }

            last = next;
            onProgress(last);
        }

        return new RolloutWatchOutcome(RolloutWatchEnd.Settled, last);
    }
}
