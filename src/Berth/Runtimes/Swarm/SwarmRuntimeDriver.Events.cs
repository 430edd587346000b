using System.Threading.Channels;
using Docker.DotNet;
using Models = Docker.DotNet.Models;

namespace Berth.Runtimes.Swarm;

/// <summary>
/// The Engine API's event stream drives the watcher: a container of a Berth replica that starts, dies or changes
/// health, or a Berth service updated or removed, wakes it at once for a task listing of that service alone (see
/// <see cref="SwarmEngineEvent"/> for what is followed and what is not, e.g. a healthcheck's exec events; Docker
/// has no task events; container events come from the server's own node, service and node events from the whole
/// swarm). A periodic full look (<see cref="SwarmRuntimeOptions.ResyncInterval"/>) stays as the safety net for what
/// no event announces (a task rejected before it had a container, a task on another node); while the stream is down
/// the watcher falls back to a full look every <see cref="SwarmRuntimeOptions.PollInterval"/>.
/// </summary>
public sealed partial class SwarmRuntimeDriver
{
    /// <summary>One pending wake-up at most: the watcher takes every changed service at once when it wakes.</summary>
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    /// <summary>Service id → whether one of its containers (rather than the service itself) changed.</summary>
    private readonly Dictionary<string, bool> _changedServices = new(StringComparer.Ordinal);
    private readonly Lock _changedGate = new();
    private volatile bool _eventsLive;
    private volatile bool _nodesChanged;

    /// <summary>True while the event stream is connected (the watcher then looks at everything only every resync).</summary>
    internal bool EventsLive => _eventsLive;

    private async Task FollowEventsAsync(CancellationToken cancellationToken)
    {
        var failures = 0;
        var parameters = SwarmEngineEvent.StreamParameters();
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                // Live from the first byte of the stream: what happened before is what the full look below reads.
                var progress = new EventSink(this);
                var stream = _docker.System.MonitorEventsAsync(parameters, progress, cancellationToken);
                _eventsLive = true;
                Wake();
                await stream.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is DockerApiException or HttpRequestException or IOException or TimeoutException or OperationCanceledException)
            {
                if (failures++ % 20 == 0)
                {
                    SwarmRuntimeLog.EventsLost(_logger, e.GetBaseException().Message);
                }
            }
            finally
            {
                _eventsLive = false;
                Wake();
            }

            await Task.Delay(_options.PollInterval, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private void OnEvent(Models.Message message)
    {
        var engineEvent = SwarmEngineEvent.Read(message);
        if (engineEvent.NodesChanged)
        {
            _nodesChanged = true;
            Wake();
            return;
        }

        var serviceId = engineEvent.ServiceId;
        if (serviceId is null || !_replicas.Values.Any(r => r.ServiceId == serviceId))
        {
            return;
        }

        lock (_changedGate)
        {
            _changedServices[serviceId] = engineEvent.FromContainer || _changedServices.GetValueOrDefault(serviceId);
        }

        Wake();
    }

    private void Wake() => _wake.Writer.TryWrite(true);

    /// <summary>The services events named since the last call (true: a container of it changed).</summary>
    private Dictionary<string, bool> TakeChangedServices()
    {
        lock (_changedGate)
        {
            var changed = new Dictionary<string, bool>(_changedServices, StringComparer.Ordinal);
            _changedServices.Clear();
            return changed;
        }
    }

    /// <summary>Waits until an event wakes the watcher or <paramref name="until"/> comes.</summary>
    private async Task SleepUntilAsync(DateTimeOffset until, CancellationToken cancellationToken)
    {
        var delay = until - _time.GetUtcNow();
        if (delay <= TimeSpan.Zero)
        {
            return;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var timer = Task.Delay(delay, _time, timeout.Token);
        var woken = _wake.Reader.WaitToReadAsync(timeout.Token).AsTask();
        await Task.WhenAny(timer, woken).ConfigureAwait(false);
        await timeout.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        _wake.Reader.TryRead(out _);
    }

    /// <summary>Hands each event to the driver as it is read (Progress&lt;T&gt; would post it to the thread pool, out of order).</summary>
    private sealed class EventSink(SwarmRuntimeDriver driver) : IProgress<Models.Message>
    {
        public void Report(Models.Message value) => driver.OnEvent(value);
    }
}
