using System.Net;
using Berth.Api;
using Berth.Cli.Api;

namespace Berth.Cli.Commands.Stacks;

/// <summary>
/// Polls the server until a stack being removed is gone. The server deletes a service only after its replicas stopped,
/// and the stack after its last service, so "no stack named X" (404) means no replica of it runs any more.
/// </summary>
public sealed class StackRemovalWatcher
{
    private readonly BerthApiClient _client;
    private readonly TimeProvider _time;
    private readonly TimeSpan _pollInterval;

    public StackRemovalWatcher(BerthApiClient client, TimeProvider time, TimeSpan pollInterval)
    {
        _client = client;
        _time = time;
        _pollInterval = pollInterval;
    }

    /// <summary>Waits until <paramref name="stack"/> is gone; <paramref name="onProgress"/> sees every poll.</summary>
    public async Task<StackRemovalOutcome> WaitAsync(
        string stack, TimeSpan timeout, Action<IReadOnlyList<ServiceRemovalProgress>> onProgress, CancellationToken cancellationToken)
    {
        var deadline = _time.GetUtcNow() + timeout;
        await using var wake = EventWake.Start(_client, _time, service: null, e => e.Stack == stack);
        var seen = new List<string>();
        IReadOnlyList<ServiceRemovalProgress> progress = [];
        while (true)
        {
            var poll = await PollAsync(stack, seen, cancellationToken).ConfigureAwait(false);
            if (poll is null)
            {
                progress = seen.Select(s => new ServiceRemovalProgress(s, [], Removed: true)).ToList();
                onProgress(progress);
                return new StackRemovalOutcome(Removed: true, progress);
            }

            progress = poll;
            onProgress(progress);
            if (_time.GetUtcNow() >= deadline)
            {
                return new StackRemovalOutcome(Removed: false, progress);
            }

            await wake.WaitAsync(_pollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The services' replicas still alive; null once the stack is gone.</summary>
    private async Task<IReadOnlyList<ServiceRemovalProgress>?> PollAsync(string stack, List<string> seen, CancellationToken cancellationToken)
    {
        IReadOnlyList<ServiceInfo> services;
        IReadOnlyList<ReplicaInfo> replicas;
        try
        {
            services = await _client.ListServicesAsync(stack, cancellationToken).ConfigureAwait(false);
            replicas = await _client.ListReplicasAsync(stack, service: null, cancellationToken).ConfigureAwait(false);
        }
        catch (BerthApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        foreach (var service in services.Select(s => s.Name).Where(name => !seen.Contains(name, StringComparer.Ordinal)).Order(StringComparer.Ordinal))
        {
            seen.Add(service);
        }

        return seen.Select(name => ServiceRemovalProgress.Of(name, services, replicas)).ToList();
    }
}
