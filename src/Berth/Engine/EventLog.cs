using System.Threading.Channels;
using Berth.Store;

namespace Berth.Engine;

/// <summary>Appends events to the store and hands them to live subscribers (`berth events -f`).</summary>
public sealed class EventLog
{
    private readonly BerthStore _store;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly List<Channel<EventRecord>> _subscribers = [];

    public EventLog(BerthStore store, TimeProvider time)
    {
        _store = store;
        _time = time;
    }

    /// <summary>Records an event in its own transaction.</summary>
    public async Task<EventRecord> AppendAsync(string kind, string? stack, string? service, string? replica, string message, CancellationToken cancellationToken)
    {
        var entry = await _store.WriteAsync(
            tx => tx.AppendEventAsync(new EventRecord(0, _time.GetUtcNow(), kind, stack, service, replica, message), cancellationToken),
            cancellationToken);
        Publish(entry);
        return entry;
    }

    /// <summary>Records an event inside a caller's transaction; call <see cref="Publish"/> after it commits.</summary>
    public Task<EventRecord> AppendAsync(StoreTransaction tx, string kind, string? stack, string? service, string? replica, string message, CancellationToken cancellationToken) =>
        tx.AppendEventAsync(new EventRecord(0, _time.GetUtcNow(), kind, stack, service, replica, message), cancellationToken);

    /// <summary>Sends committed events to live subscribers.</summary>
    public void Publish(params IEnumerable<EventRecord> entries)
    {
        lock (_gate)
        {
            foreach (var entry in entries)
            {
                foreach (var subscriber in _subscribers)
                {
                    subscriber.Writer.TryWrite(entry);
                }
            }
        }
    }

    /// <summary>Live events from now on, until the token is cancelled.</summary>
    public async IAsyncEnumerable<EventRecord> SubscribeAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<EventRecord>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest });
        lock (_gate)
        {
            _subscribers.Add(channel);
        }

        try
        {
            await foreach (var entry in channel.Reader.ReadAllAsync(cancellationToken))
            {
                yield return entry;
            }
        }
        finally
        {
            lock (_gate)
            {
                _subscribers.Remove(channel);
            }
        }
    }
}
