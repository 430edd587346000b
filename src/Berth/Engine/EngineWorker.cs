using Berth.Engine.Replicas;
using Berth.Runtimes;
using Berth.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Berth.Engine;

/// <summary>
/// The reconcile loop: adopts surviving replicas, then feeds services to <see cref="ServiceReconciler"/> from one
/// de-duplicated queue, filled by runtime changes, API writes and a periodic resync. A pass that throws is retried
/// with capped, jittered backoff; one broken service never stalls the others.
/// </summary>
public sealed partial class EngineWorker : BackgroundService
{
    private readonly ReconcileQueue _queue;
    private readonly ServiceReconciler _reconciler;
    private readonly ReplicaAdopter _adopter;
    private readonly BerthStore _store;
    private readonly IRuntimeDriver _driver;
    private readonly EngineOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<EngineWorker> _logger;
    private readonly Dictionary<string, int> _failures = new(StringComparer.Ordinal);
    private readonly Lock _failuresGate = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public EngineWorker(
        ReconcileQueue queue,
        ServiceReconciler reconciler,
        ReplicaAdopter adopter,
        BerthStore store,
        IRuntimeDriver driver,
        IOptions<EngineOptions> options,
        TimeProvider time,
        ILogger<EngineWorker> logger)
    {
        _queue = queue;
        _reconciler = reconciler;
        _adopter = adopter;
        _store = store;
        _driver = driver;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    /// <summary>Completes once surviving replicas have been adopted and the first passes are queued.</summary>
    public Task Ready => _ready.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var adopted = await _adopter.AdoptAllAsync(stoppingToken);
            Log.Started(_logger, adopted);
            _driver.ReplicaChanged += OnReplicaChanged;
            await EnqueueAllAsync(stoppingToken);
            _ready.TrySetResult();
            var workers = Enumerable.Range(0, _options.Workers).Select(_ => WorkAsync(stoppingToken)).ToList();
            workers.Add(ResyncAsync(stoppingToken));
            await Task.WhenAll(workers);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception exception)
        {
            _ready.TrySetException(exception);
            throw;
        }
        finally
        {
            _driver.ReplicaChanged -= OnReplicaChanged;
        }
    }

    private void OnReplicaChanged(ReplicaObservation observation) => _queue.Enqueue(observation.Service);

    private async Task EnqueueAllAsync(CancellationToken cancellationToken)
    {
        foreach (var service in await _store.GetServicesAsync(cancellationToken))
        {
            _queue.Enqueue(service.Name);
        }

        // Replicas the runtime runs for services the store no longer has are stopped by their pass.
        foreach (var stray in _driver.Observe().Select(o => o.Service).Distinct())
        {
            _queue.Enqueue(stray);
        }
    }

    private async Task ResyncAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(_options.ResyncInterval, _time, cancellationToken);
            await EnqueueAllAsync(cancellationToken);
        }
    }

    private async Task WorkAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var service = await _queue.DequeueAsync(cancellationToken);
            try
            {
                var result = await _reconciler.ReconcileAsync(service, cancellationToken);
                ResetFailures(service);
                if (result.RequeueAfter is { } delay)
                {
                    _queue.EnqueueAfter(service, delay);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                var delay = NextRetryDelay(service);
                Log.PassFailed(_logger, exception, service, delay);
                _queue.EnqueueAfter(service, delay);
            }
            finally
            {
                _queue.Done(service);
            }
        }
    }

    private void ResetFailures(string service)
    {
        lock (_failuresGate)
        {
            _failures.Remove(service);
        }
    }

    private TimeSpan NextRetryDelay(string service)
    {
        int failures;
        lock (_failuresGate)
        {
            failures = _failures[service] = _failures.GetValueOrDefault(service) + 1;
        }

        var baseDelay = TimeSpan.FromMilliseconds(250 * Math.Pow(2, Math.Min(failures - 1, 10)));
        var capped = baseDelay < _options.MaxRetryDelay ? baseDelay : _options.MaxRetryDelay;
        return capped * (0.8 + (Random.Shared.NextDouble() * 0.4));
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "Engine started; {Adopted} replicas adopted")]
        public static partial void Started(ILogger logger, int adopted);

        [LoggerMessage(EventId = 301, Level = LogLevel.Error, Message = "Reconcile pass of {Service} failed; retrying in {Delay}")]
        public static partial void PassFailed(ILogger logger, Exception exception, string service, TimeSpan delay);
    }
}
