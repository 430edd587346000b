namespace Berth.Hosting;

/// <summary>The loop of a background sweep: the work at once, then every interval until the host stops.</summary>
public static class PeriodicWork
{
    /// <summary>
    /// Runs <paramref name="work"/> now and then every <paramref name="interval"/>; a failure goes to
    /// <paramref name="failed"/> (to be logged) and the next tick tries again. Returns when <paramref name="stoppingToken"/> fires.
    /// </summary>
    public static async Task RunAsync(TimeSpan interval, TimeProvider time, Func<CancellationToken, Task> work, Action<Exception> failed, CancellationToken stoppingToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(failed);
        using var timer = new PeriodicTimer(interval, time);
        do
        {
            try
            {
                await work(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                failed(exception);
            }
        }
        while (await timer.NextTickOrStopAsync(stoppingToken));
    }
}
