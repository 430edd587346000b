namespace Berth.Engine;

/// <summary>
/// Service names waiting to be reconciled: de-duplicated (a name queued twice is reconciled once), never handed to two
/// workers at once (a name queued while it is being processed runs again afterwards), and delayable (wait until T).
/// </summary>
public sealed class ReconcileQueue
{
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly LinkedList<string> _ready = new();
    private readonly HashSet<string> _queued = new(StringComparer.Ordinal);
    private readonly HashSet<string> _processing = new(StringComparer.Ordinal);
    private readonly HashSet<string> _dirtyWhileProcessing = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ITimer> _delayed = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TaskCompletionSource> _released = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _signal = new(0);

    public ReconcileQueue(TimeProvider time) => _time = time;

    /// <summary>Queues a service for reconciliation now.</summary>
    public void Enqueue(string service)
    {
        lock (_gate)
        {
            if (_processing.Contains(service))
            {
                _dirtyWhileProcessing.Add(service);
                return;
            }

            if (_queued.Add(service))
            {
                _ready.AddLast(service);
                _signal.Release();
            }
        }
    }

    /// <summary>Queues a service after <paramref name="delay"/>; an earlier pending wake-up wins over a later one.</summary>
    public void EnqueueAfter(string service, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            Enqueue(service);
            return;
        }

        lock (_gate)
        {
            if (_delayed.TryGetValue(service, out var existing))
            {
                existing.Dispose();
            }

            ITimer? timer = null;
            timer = _time.CreateTimer(
                _ =>
                {
                    lock (_gate)
                    {
                        if (_delayed.TryGetValue(service, out var current) && ReferenceEquals(current, timer))
                        {
                            _delayed.Remove(service);
                        }
                    }

                    Enqueue(service);
                },
                null,
                delay,
                Timeout.InfiniteTimeSpan);
            _delayed[service] = timer;
        }
    }

    /// <summary>Waits for the next service to reconcile; the caller must call <see cref="Done"/> with it afterwards.</summary>
    public async Task<string> DequeueAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await _signal.WaitAsync(cancellationToken);
            lock (_gate)
            {
                if (_ready.First is { } first)
                {
                    _ready.RemoveFirst();
                    _queued.Remove(first.Value);
                    _processing.Add(first.Value);
                    return first.Value;
                }
            }
        }
    }

    /// <summary>
    /// Takes a service for the caller alone, as a worker does when it dequeues it: waits while a worker processes it,
    /// and keeps workers off it until the claim is disposed (a wake-up queued before or meanwhile runs afterwards).
    /// </summary>
    public async Task<IDisposable> ClaimAsync(string service, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task released;
            lock (_gate)
            {
                if (_processing.Add(service))
                {
                    if (_queued.Remove(service))
                    {
                        _ready.Remove(service);
                        _dirtyWhileProcessing.Add(service);
                    }

                    return new Claim(this, service);
                }

                if (!_released.TryGetValue(service, out var waiter))
                {
                    _released[service] = waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }

                released = waiter.Task;
            }

            await released.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Marks a service as processed; if it was queued meanwhile, it goes back in the queue.</summary>
    public void Done(string service)
    {
        bool again;
        TaskCompletionSource? waiter;
        lock (_gate)
        {
            _processing.Remove(service);
            again = _dirtyWhileProcessing.Remove(service);
            _released.Remove(service, out waiter);
        }

        waiter?.TrySetResult();
        if (again)
        {
            Enqueue(service);
        }
    }

    /// <summary>Number of services ready to be processed (for tests and diagnostics).</summary>
    public int ReadyCount
    {
        get
        {
            lock (_gate)
            {
                return _ready.Count;
            }
        }
    }

    private sealed class Claim(ReconcileQueue queue, string service) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                queue.Done(service);
            }
        }
    }
}
