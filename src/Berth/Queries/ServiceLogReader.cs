using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Berth.Api;
using Berth.Runtimes;
using Berth.Store;

namespace Berth.Queries;

/// <summary>
/// `logs SERVICE [-f] [--since T]`: the log lines of a service's replicas; when following, replicas started later join in.
/// Log lines carry no time (the process runtime writes a replica's raw output to its file), so <c>since</c> selects
/// replicas: one that ended before it is left out, one running at or after it shows its lines (its tail, with --tail).
/// </summary>
public sealed class ServiceLogReader
{
    private static readonly TimeSpan NewReplicaPoll = TimeSpan.FromSeconds(1);
    private readonly BerthStore _store;
    private readonly IRuntimeDriver _driver;
    private readonly TimeProvider _time;

    public ServiceLogReader(BerthStore store, IRuntimeDriver driver, TimeProvider time)
    {
        _store = store;
        _driver = driver;
        _time = time;
    }

    /// <summary>Throws <see cref="ProblemException"/> (not found) before the first line when the service does not exist.</summary>
    public async Task<IAsyncEnumerable<LogEntry>> OpenAsync(string service, int tail, DateTimeOffset? since, bool follow, CancellationToken cancellationToken)
    {
        if (await _store.GetServiceAsync(service, cancellationToken) is null)
        {
            throw ProblemException.NotFound($"no service named {service}");
        }

        return follow ? FollowAsync(service, tail, since, cancellationToken) : BacklogAsync(service, tail, since, cancellationToken);
    }

    /// <summary>False for a replica whose output is all older than <paramref name="since"/>: it ended before.</summary>
    private static bool WroteSince(ReplicaRecord replica, DateTimeOffset? since) =>
        since is null || replica.IsLive || replica.ExitedAt is not { } exited || exited >= since;

    private async IAsyncEnumerable<LogEntry> BacklogAsync(string service, int tail, DateTimeOffset? since, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var replica in (await _store.GetReplicasAsync(service, cancellationToken)).Where(r => WroteSince(r, since)))
        {
            await foreach (var line in _driver.ReadLogsAsync(replica.Id, tail, follow: false, cancellationToken))
            {
                yield return new LogEntry(line.ReplicaId, line.Text);
            }
        }
    }

    private async IAsyncEnumerable<LogEntry> FollowAsync(string service, int tail, DateTimeOffset? since, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var lines = Channel.CreateBounded<LogEntry>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.Wait });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var watcher = WatchReplicasAsync(service, tail, since, lines.Writer, stop.Token);
        try
        {
            await foreach (var entry in lines.Reader.ReadAllAsync(cancellationToken))
            {
                yield return entry;
            }
        }
        finally
        {
            await stop.CancelAsync();
            try
            {
                await watcher;
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    private async Task WatchReplicasAsync(string service, int tail, DateTimeOffset? since, ChannelWriter<LogEntry> writer, CancellationToken cancellationToken)
    {
        var following = new HashSet<string>(StringComparer.Ordinal);
        var readers = new List<Task>();
        var first = true;
        while (!cancellationToken.IsCancellationRequested)
        {
            foreach (var replica in await _store.GetReplicasAsync(service, cancellationToken))
            {
                if (following.Add(replica.Id) && (first ? WroteSince(replica, since) : replica.IsLive))
                {
                    readers.Add(CopyAsync(replica.Id, first ? tail : -1, replica.IsLive, writer, cancellationToken));
                }
            }

            first = false;
            await Task.Delay(NewReplicaPoll, _time, cancellationToken);
        }
    }

    private async Task CopyAsync(string replicaId, int tail, bool follow, ChannelWriter<LogEntry> writer, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var line in _driver.ReadLogsAsync(replicaId, tail, follow, cancellationToken))
            {
                await writer.WriteAsync(new LogEntry(line.ReplicaId, line.Text), cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
