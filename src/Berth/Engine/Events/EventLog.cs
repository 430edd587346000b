using System.Threading.Channels;
using Berth.Store;
using Microsoft.Extensions.Options;

namespace Berth.Engine.Events;

/// <summary>
/// Appends events to the store and hands them to live subscribers (`berth events -f`); keeps only the newest
/// <see cref="EventLogOptions.EventsKept"/> in the store.
/// </summary>
public sealed class EventLog
{
    private readonly BerthStore _store;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly List<Channel<EventRecord>> _subscribers = [];
    private readonly int _kept;
    private readonly int _pruneEvery;

    public EventLog(BerthStore store, TimeProvider time, IOptions<EventLogOptions>? options = null)
    {
        _store = store;
        _time = time;
        _kept = Math.Max(1, options?.Value.EventsKept ?? new EventLogOptions().EventsKept);
        _pruneEvery = Math.Max(1, _kept / 10);
    }

    /// <summary>Records an event in its own transaction.</summary>
    public async Task<EventRecord> AppendAsync(string kind, string? stack, string? service, string? replica, string message, CancellationToken cancellationToken)
    {
        var entry = await _store.WriteAsync(tx => AppendAsync(tx, kind, stack, service, replica, message, cancellationToken), cancellationToken);
        Publish(entry);
        return entry;
    }

    /// <summary>Records an event inside a caller's transaction; call <see cref="Publish"/> after it commits.</summary>
    public async Task<EventRecord> AppendAsync(StoreTransaction tx, string kind, string? stack, string? service, string? replica, string message, CancellationToken cancellationToken)
    {
        var entry = await tx.AppendEventAsync(new EventRecord(0, _time.GetUtcNow(), kind, stack, service, replica, message), cancellationToken);
        if (entry.Seq % _pruneEvery == 0)
        {
            await tx.DeleteEventsUpToAsync(entry.Seq - _kept, cancellationToken);
        }

        return entry;
    }

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

    /// <summary>
    /// Live events from this call on (registered before it returns, so a backlog read afterwards misses nothing), until
    /// the subscription is disposed.
    /// </summary>
    public EventSubscription Subscribe()
    {
        var channel = Channel.CreateBounded<EventRecord>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest });
        lock (_gate)
        {
            _subscribers.Add(channel);
        }

        return new EventSubscription(channel.Reader, () =>
        {
            lock (_gate)
            {
                _subscribers.Remove(channel);
            }
        });
    }

    /// <summary>Live events from the first iteration on, until the token is cancelled.</summary>
    public async IAsyncEnumerable<EventRecord> SubscribeAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var subscription = Subscribe();
        await foreach (var entry in subscription.ReadAllAsync(cancellationToken))
        {
            yield return entry;
        }
    }
}
