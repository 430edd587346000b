using Microsoft.Extensions.Logging;

namespace Berth.Engine;

/// <summary>
/// Carries a rollout command's write to the routers inside the command's own call: it takes the service from the
/// engine's queue (no worker runs it meanwhile), lets <see cref="ServiceReconciler.SteerAsync"/> decide and route,
/// then queues the service so a worker's pass starts or stops the replicas. So `berth promote` answers once every
/// router serves the new split, and the cut-over costs one transaction and one route push, not a queue hop and a pass.
/// </summary>
public sealed partial class ImmediatePass
{
    private readonly ReconcileQueue _queue;
    private readonly ServiceReconciler _reconciler;
    private readonly ILogger<ImmediatePass> _logger;

    public ImmediatePass(ReconcileQueue queue, ServiceReconciler reconciler, ILogger<ImmediatePass> logger)
    {
        _queue = queue;
        _reconciler = reconciler;
        _logger = logger;
    }

    /// <summary>
    /// Decides and routes now; never throws for the engine's sake (the command's write is already committed): what
    /// fails here is left to the queued pass, which retries with backoff as for any pass.
    /// </summary>
    public async Task RunAsync(string service, CancellationToken cancellationToken)
    {
        try
        {
            using (await _queue.ClaimAsync(service, cancellationToken))
            {
                await _reconciler.SteerAsync(service, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The caller went away: the queued pass below does the same work.
        }
        catch (Exception exception)
        {
            Log.SteerFailed(_logger, exception, service);
        }
        finally
        {
            _queue.Enqueue(service);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 302, Level = LogLevel.Warning, Message = "A rollout command's own pass of {Service} failed; the engine's next pass takes over")]
        public static partial void SteerFailed(ILogger logger, Exception exception, string service);
    }
}
