using System.Threading.Channels;
using Berth.Store;

namespace Berth.Engine.Events;

/// <summary>Events published since <see cref="EventLog.Subscribe"/>; disposing it stops the delivery.</summary>
public sealed class EventSubscription : IDisposable
{
    private readonly ChannelReader<EventRecord> _reader;
    private Action? _unsubscribe;

    internal EventSubscription(ChannelReader<EventRecord> reader, Action unsubscribe)
    {
        _reader = reader;
        _unsubscribe = unsubscribe;
    }

    /// <summary>The events in the order they were published, waiting for new ones until the token is cancelled.</summary>
    public IAsyncEnumerable<EventRecord> ReadAllAsync(CancellationToken cancellationToken) => _reader.ReadAllAsync(cancellationToken);

    public void Dispose() => Interlocked.Exchange(ref _unsubscribe, null)?.Invoke();
}
